import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { getToken } from "../helpers/access";
import { createRegistryRow } from "../helpers/registry-fixtures";
import { runCli, startWharf, type Wharf } from "../helpers/wharf";

/**
 * Groups through the `wharf ad group` CLI and the real token endpoint: a role assigned to a group reaches each member
 * (and only while they are a member), and deleting the group takes its role assignments with it.
 */
describe("groups", () => {
  let w: Wharf;
  const cli = async (...args: string[]) => {
    const r = await runCli(w, [...args, "-o", "json"]);
    assert.equal(r.code, 0, `wharf ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : null;
  };
  const dev = { user: "dev1", password: "dev1-Pass-123" };
  const granted = async () => (await getToken(w, ["repository:contoso/app:pull,push"], dev)).access.flatMap((a) => a.actions).sort();

  before(async () => {
    w = await startWharf();
    await createRegistryRow(w, "contoso");
    await cli("user", "create", "--name", dev.user, "--password", dev.password);
  });
  after(async () => {
    await w?.stop();
    if (w) fs.rmSync(w.dataDir, { recursive: true, force: true });
  });

  it("a member gets what the group's role grants, and loses it when removed", async () => {
    await cli("ad", "group", "create", "--display-name", "developers", "--description", "App team");
    await cli("role", "assignment", "create", "--assignee", "group:developers", "--role", "AcrPush", "--scope", "/registries/contoso");
    assert.deepEqual(await granted(), [], "not a member yet");
    await cli("ad", "group", "member", "add", "--group", "developers", "--member-id", dev.user);
    assert.deepEqual(await granted(), ["metadata_read", "metadata_write", "pull", "push"]);

    const shown = await cli("ad", "group", "show", "--group", "developers");
    assert.deepEqual(shown.members.map((m: { name: string }) => m.name), [dev.user]);
    assert.deepEqual(shown.roles.map((r: { role: string; scope: string }) => `${r.role}@${r.scope}`), ["AcrPush@/registries/contoso"]);
    const list = await cli("role", "assignment", "list", "--scope", "/registries/contoso");
    assert.ok(list.some((a: { assignee: string; role: string }) => a.assignee === "group:developers" && a.role === "AcrPush"), JSON.stringify(list));

    await cli("ad", "group", "member", "remove", "--group", "developers", "--member-id", dev.user);
    assert.deepEqual(await granted(), []);
  });

  it("deleting a group removes its role assignments; bad input says what to do", async () => {
    await cli("ad", "group", "member", "add", "--group", "developers", "--member-id", dev.user);
    assert.ok((await granted()).includes("push"));
    await cli("ad", "group", "delete", "--group", "developers", "--yes");
    assert.deepEqual(await granted(), []);
    assert.deepEqual(await cli("role", "assignment", "list", "--scope", "/registries/contoso"), []);

    const bad = await runCli(w, ["ad", "group", "create", "--display-name", "No Spaces"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /lower-case letters/);
    const unknown = await runCli(w, ["role", "assignment", "create", "--assignee", "group:nobody", "--role", "AcrPull", "--scope", "/"]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /wharf ad group list/);
  });
});
