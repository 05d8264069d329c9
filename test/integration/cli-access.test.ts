import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { api, pushPull, token as bearer } from "../helpers/registry-fixtures";
import { basicAuth, runCli, startWharf, type Wharf } from "../helpers/wharf";

/** The access-control verbs of the `wharf` CLI against a real server: what they set, the token endpoint obeys. */

let wharf: Wharf;
before(async () => {
  wharf = await startWharf();
});
after(async () => {
  await wharf?.stop();
  if (wharf) fs.rmSync(wharf.dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(wharf, args);
async function ok(args: string[]): Promise<unknown> {
  const r = await cli(...args);
  assert.equal(r.code, 0, `wharf ${args.join(" ")}\n${r.stderr}`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
}
/** Exit 1 for a refusal, 2 for a command typed wrongly (as az). */
async function fails(args: string[], message: RegExp, code = 1): Promise<void> {
  const r = await cli(...args);
  assert.equal(r.code, code, `expected exit ${code}: wharf ${args.join(" ")}\n${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message);
}

/** What the token endpoint grants these credentials on a repository (null when it refuses them). */
async function granted(user: string, password: string, repo: string): Promise<string[] | null> {
  const r = await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}&scope=repository:${repo}:pull,push`, {
    headers: { Authorization: basicAuth(user, password) },
  });
  if (r.status === 401) return null;
  assert.equal(r.status, 200);
  const { token } = (await r.json()) as { token: string };
  const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
  return (claims.access as { actions: string[] }[]).flatMap((a) => a.actions).sort();
}

test("registry update --anonymous-pull-enabled, and show --query prints true/false", async () => {
  await ok(["registry", "create", "--name", "contoso"]);
  await ok(["registry", "create", "--name", "basicreg", "--sku", "Basic"]);
  await ok(["registry", "update", "--name", "contoso", "--anonymous-pull-enabled", "true"]);
  let r = await cli("registry", "show", "--name", "contoso", "--query", "anonymousPullEnabled");
  assert.equal(r.stdout.trim(), "true");
  await ok(["registry", "update", "--name", "contoso", "--anonymous-pull-enabled", "false"]);
  r = await cli("registry", "show", "--name", "contoso", "--query", "anonymousPullEnabled");
  assert.equal(r.stdout.trim(), "false");
  await fails(["registry", "update", "--name", "basicreg", "--anonymous-pull-enabled", "true"], /Standard or Premium/);
  await fails(["registry", "update", "--name", "contoso", "--anonymous-pull-enabled", "maybe"], /invalid choice: 'maybe' \(choose from 'false', 'true'\)/, 2);
  await fails(["registry", "update", "--name", "contoso"], /Nothing to update/, 2);
});

test("token create prints two passwords once; they log in; disabling stops the next login", async () => {
  const t = (await ok(["token", "create", "--name", "readonlypull", "--registry", "contoso", "--repository", "aspnetapp", "content/read", "metadata/read"])) as {
    passwords: { name: string; value: string }[];
  };
  assert.deepEqual(t.passwords.map((p) => p.name), ["password1", "password2"]);
  assert.deepEqual(await granted("readonlypull", t.passwords[0].value, "contoso/aspnetapp"), ["metadata_read", "pull"]);
  assert.deepEqual(await granted("readonlypull", t.passwords[1].value, "contoso/other"), []);
  const shown = (await ok(["token", "show", "--name", "readonlypull", "--registry", "contoso"])) as Record<string, unknown>;
  assert.equal(JSON.stringify(shown).includes(t.passwords[0].value), false, "show never prints a password");
  await ok(["token", "update", "--name", "readonlypull", "--registry", "contoso", "--status", "disabled"]);
  assert.equal(await granted("readonlypull", t.passwords[0].value, "contoso/aspnetapp"), null);
  await ok(["token", "update", "--name", "readonlypull", "--registry", "contoso", "--status", "enabled"]);
  const fresh = (await ok(["token", "credential", "generate", "--name", "readonlypull", "--registry", "contoso", "--password1", "--expiration-in-days", "30"])) as {
    passwords: { value: string }[];
  };
  assert.equal(await granted("readonlypull", t.passwords[0].value, "contoso/aspnetapp"), null, "the old password 1 is retired");
  assert.deepEqual(await granted("readonlypull", fresh.passwords[0].value, "contoso/aspnetapp"), ["metadata_read", "pull"]);
  await fails(["token", "create", "--name", "readonlypull", "--registry", "contoso", "--scope-map", "_repositories_pull"], /already has a token/);
  await fails(["token", "create", "--name", "x", "--registry", "contoso", "--scope-map", "_repositories_pull"], /5–50 characters/);
  await fails(["token", "create", "--name", "another", "--registry", "contoso", "--repository", "app"], /needs at least one action/, 2);
});

test("scope-map create, update, show, delete with wildcards", async () => {
  await ok(["scope-map", "create", "--registry", "contoso", "--name", "team-ci", "--repository", "team/*", "content/read", "content/write"]);
  const t = (await ok(["token", "create", "--name", "teamci", "--registry", "contoso", "--scope-map", "team-ci"])) as { passwords: { value: string }[] };
  assert.deepEqual(await granted("teamci", t.passwords[0].value, "contoso/team/api"), ["pull", "push"]);
  await ok(["scope-map", "update", "--registry", "contoso", "--name", "team-ci", "--remove-repository", "team/*", "content/write"]);
  assert.deepEqual(await granted("teamci", t.passwords[0].value, "contoso/team/api"), ["pull"]);
  const m = (await ok(["scope-map", "show", "--registry", "contoso", "--name", "team-ci"])) as { actions: string[]; tokens: string[] };
  assert.deepEqual(m.actions, ["repositories/team/*/content/read"]);
  assert.deepEqual(m.tokens, ["teamci"]);
  await fails(["scope-map", "delete", "--registry", "contoso", "--name", "team-ci", "--yes"], /used by token/);
  await fails(["scope-map", "create", "--registry", "contoso", "--name", "bad-map", "--repository", "Team", "content/read"], /Invalid repository/);
  await ok(["token", "delete", "--name", "teamci", "--registry", "contoso", "--yes"]);
  await ok(["scope-map", "delete", "--registry", "contoso", "--name", "team-ci", "--yes"]);
});

test("users, service principals and role assignments", async () => {
  await ok(["user", "create", "--name", "alice", "--password", "alice-password"]);
  assert.deepEqual(await granted("alice", "alice-password", "contoso/app"), []);
  await ok(["role", "assignment", "create", "--assignee", "alice", "--role", "AcrPull", "--scope", "/registries/contoso/repositories/app"]);
  assert.deepEqual(await granted("alice", "alice-password", "contoso/app"), ["metadata_read", "pull"]);
  const list = (await ok(["role", "assignment", "list", "--scope", "/registries/contoso"])) as { assignee: string; role: string }[];
  assert.ok(list.some((a) => a.assignee === "alice" && a.role === "AcrPull"));
  await ok(["role", "assignment", "delete", "--assignee", "alice", "--role", "AcrPull", "--scope", "/registries/contoso/repositories/app"]);
  assert.deepEqual(await granted("alice", "alice-password", "contoso/app"), []);
  await fails(["role", "assignment", "create", "--assignee", "nobody", "--role", "AcrPull"], /No user, service principal or group named 'nobody'/);
  await fails(["role", "assignment", "create", "--assignee", "alice", "--role", "Boss"], /invalid choice: 'Boss'/, 2);
  await fails(["role", "assignment", "delete", "--assignee", "admin", "--role", "Owner", "--scope", "/"], /last Owner/);

  const sp = (await ok(["sp", "create", "--name", "ci-pipeline"])) as { clientId: string; secret: string };
  await ok(["role", "assignment", "create", "--assignee", sp.clientId, "--role", "AcrPush", "--scope", "/registries/contoso"]);
  assert.deepEqual(await granted(sp.clientId, sp.secret, "contoso/app"), ["metadata_read", "metadata_write", "pull", "push"]);
  assert.equal(await granted(sp.clientId, "wrong-secret", "contoso/app"), null);

  // Disabling keeps the roles (for review) but stops every token at once; enabling brings them back.
  await ok(["sp", "update", "--id", "ci-pipeline", "--account-enabled", "false"]);
  assert.equal(await granted(sp.clientId, sp.secret, "contoso/app"), null);
  await ok(["sp", "update", "--id", sp.clientId, "--account-enabled", "true"]);
  assert.deepEqual(await granted(sp.clientId, sp.secret, "contoso/app"), ["metadata_read", "metadata_write", "pull", "push"]);
  await fails(["sp", "update", "--id", "ci-pipeline"], /Nothing to update: give --account-enabled/, 2);

  await ok(["role", "assignment", "create", "--assignee", "alice", "--role", "AcrPull", "--scope", "/registries/contoso"]);
  await ok(["user", "update", "--name", "alice", "--account-enabled", "false"]);
  assert.equal(await granted("alice", "alice-password", "contoso/app"), null);
  await ok(["user", "update", "--name", "alice", "--account-enabled", "true"]);
  const reset = (await ok(["user", "reset-password", "--name", "alice"])) as { password: string };
  assert.equal(await granted("alice", "alice-password", "contoso/app"), null, "the old password is gone");
  assert.deepEqual(await granted("alice", reset.password, "contoso/app"), ["metadata_read", "pull"]);
  await fails(["user", "delete", "--name", "alice"], /cannot be undone.*--yes/);
  await fails(["user", "update", "--name", "admin", "--account-enabled", "false"], /last Owner/);
  await ok(["user", "delete", "--name", "alice", "--yes"]);
  assert.equal(await granted("alice", reset.password, "contoso/app"), null);
  const users = (await ok(["user", "list"])) as { username: string }[];
  assert.ok(!users.some((u) => u.username === "alice"));
  assert.ok(!((await ok(["role", "assignment", "list", "--scope", "/registries/contoso"])) as { assignee: string }[]).some((a) => a.assignee === "alice"));
});

test("admin user: enabling prints its passwords once; renew retires the old one", async () => {
  const r = (await ok(["registry", "update", "--name", "contoso", "--admin-enabled", "true"])) as { adminUser: { passwords: { value: string }[] } };
  const [p1] = r.adminUser.passwords;
  assert.deepEqual(await granted("contoso", p1.value, "contoso/app"), ["metadata_read", "metadata_write", "pull", "push"]);
  assert.deepEqual(await granted("contoso", p1.value, "basicreg/app"), [], "the admin user reaches only its own registry");
  const creds = (await ok(["credential", "show", "--name", "contoso"])) as { username: string };
  assert.equal(creds.username, "contoso");
  const renewed = (await ok(["credential", "renew", "--name", "contoso", "--password-name", "password"])) as { passwords: { value: string }[] };
  assert.equal(await granted("contoso", p1.value, "contoso/app"), null);
  assert.ok(await granted("contoso", renewed.passwords[0].value, "contoso/app"));
});

test("network rules: add, list, remove; Premium only", async () => {
  await fails(["registry", "network-rule", "add", "--name", "contoso", "--ip-address", "10.0.0.0/8"], /Premium/);
  await ok(["registry", "update", "--name", "contoso", "--sku", "Premium"]);
  await ok(["registry", "network-rule", "add", "--name", "contoso", "--ip-address", "127.0.0.0/8"]);
  await ok(["registry", "update", "--name", "contoso", "--default-action", "Deny"]);
  const rules = (await ok(["registry", "network-rule", "list", "--name", "contoso"])) as { defaultAction: string; ipRules: { ipAddressOrRange: string }[] };
  assert.equal(rules.defaultAction, "Deny");
  assert.deepEqual(rules.ipRules.map((r) => r.ipAddressOrRange), ["127.0.0.0/8"]);
  // 127.0.0.1 is inside the allowed range: the token endpoint still answers.
  assert.ok(await granted("admin", "s3cret-Pass", "contoso/app"));
  await ok(["registry", "network-rule", "add", "--name", "contoso", "--ip-address", "203.0.113.0/24"]);
  await ok(["registry", "network-rule", "remove", "--name", "contoso", "--ip-address", "127.0.0.0/8"]);
  const refused = await fetch(`${wharf.url}/oauth2/token?service=${wharf.host}&scope=repository:contoso/app:pull`, {
    headers: { Authorization: basicAuth("admin", "s3cret-Pass") },
  });
  assert.equal(refused.status, 403);
  assert.match(((await refused.json()) as { errors: { message: string }[] }).errors[0].message, /default action Deny/);
  await fails(["registry", "network-rule", "add", "--name", "contoso", "--ip-address", "300.1.1.1"], /not an IPv4 or IPv6/);
});

test("repository update locks a tag as `az acr repository update` does; /v2 obeys", async () => {
  await ok(["registry", "create", "--name", "lockreg"]);
  const a = api(wharf, await bearer(wharf, [pushPull("lockreg/app")]));
  await a.pushImage("lockreg/app", "v1");
  const locked = (await ok(["repository", "update", "--name", "lockreg", "--image", "app:v1", "--write-enabled", "false", "--delete-enabled", "false"])) as {
    changeableAttributes: Record<string, boolean>;
  };
  assert.deepEqual(locked.changeableAttributes, { writeEnabled: false, deleteEnabled: false, readEnabled: true, listEnabled: true });
  await assert.rejects(a.pushImage("lockreg/app", "v1"), /403/);
  const shown = (await ok(["repository", "show", "--name", "lockreg", "--image", "app:v1"])) as { level: string };
  assert.equal(shown.level, "tag");
  await ok(["repository", "update", "--name", "lockreg", "--image", "app:v1", "--write-enabled", "true"]);
  await a.pushImage("lockreg/app", "v1");
  await fails(["repository", "update", "--name", "lockreg", "--image", "app", "--write-enabled", "false"], /needs a tag or digest/, 2);
  await fails(["repository", "update", "--name", "lockreg", "--repository", "app"], /Nothing to change/, 2);
});
