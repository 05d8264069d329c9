import { db } from "../core/db";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { openSecret, sealSecret } from "../core/secrets";
import { config } from "../core/context";
import { canonicalHost, isUpstreamError, UpstreamClient } from "../registry/upstream";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { checkLoginServer, checkRuleName } from "../registry/cache/rule-match";
import { recordActivity } from "./activity";
import { loadRegistry, registryScope, type LoadedRegistry } from "./load-registry";

/**
 * Credential sets (az acr credential-set): a login to an upstream registry that cache rules use. The password is
 * sealed (lib/core/secrets.ts) before it reaches the database and is never returned, logged or recorded in the
 * activity log; what the portal shows is whether the last upstream login worked.
 */

export type CredentialSetView = {
  name: string;
  loginServer: string;
  username: string;
  /** "ok", or what went wrong (an upstream failure: unauthorized, unreachable, timeout…); null until the first login. */
  lastLoginResult: string | null;
  /** The upstream's answer when the last login failed, in words (never the password). */
  lastLoginError: string | null;
  lastLoginAt: Date | null;
  healthy: boolean | null;
  rules: string[];
  createdBy: string | null;
  createdAt: Date;
};

const SELECT = {
  id: true,
  name: true,
  loginServer: true,
  username: true,
  lastLoginResult: true,
  lastLoginAt: true,
  createdBy: true,
  createdAt: true,
  cacheRules: { select: { name: true }, orderBy: { name: "asc" } },
} as const;

type Row = { name: string; loginServer: string; username: string; lastLoginResult: string | null; lastLoginAt: Date | null; createdBy: string | null; createdAt: Date; cacheRules: { name: string }[] };

/**
 * lastLoginResult is stored as "ok", "<failure>" (what the data plane notes) or "<failure>: <message>" (what the
 * login check at create/update records, so the portal can say why): one column, read back as two fields.
 */
function splitLogin(stored: string | null): { result: string | null; error: string | null } {
  if (stored === null) return { result: null, error: null };
  const at = stored.indexOf(": ");
  return at < 0 ? { result: stored, error: null } : { result: stored.slice(0, at), error: stored.slice(at + 2) };
}

const view = (r: Row): CredentialSetView => ({
  name: r.name,
  loginServer: r.loginServer,
  username: r.username,
  lastLoginResult: splitLogin(r.lastLoginResult).result,
  lastLoginError: splitLogin(r.lastLoginResult).error,
  lastLoginAt: r.lastLoginAt,
  healthy: r.lastLoginResult === null ? null : r.lastLoginResult === "ok",
  rules: r.cacheRules.map((c) => c.name),
  createdBy: r.createdBy,
  createdAt: r.createdAt,
});

function checkUsername(value: unknown): string {
  const s = String(value ?? "").trim();
  if (!s) throw invalid("The username is empty. Give the account name you log in to the upstream registry with.", "username");
  if (s.length > 256 || /[\s:]/.test(s)) throw invalid("The username may not contain spaces or ':' and must be at most 256 characters.", "username");
  return s;
}

function checkPassword(value: unknown): string {
  const s = String(value ?? "");
  if (!s) throw invalid("The password is empty. Give the upstream account's password or access token.", "password");
  if (s.length > 4096) throw invalid("The password is longer than 4096 characters.", "password");
  return s;
}

/** A login check is a form's wait: it gets at most this long, whatever the data plane's upstream timeout. */
const LOGIN_CHECK_MAX_MS = 10_000;

/**
 * Logs in to the login server as `docker login` would and stores the outcome, so a new or changed set shows its
 * health at once. A refusal or an unreachable upstream is recorded, never thrown: the set is still saved.
 */
async function checkLogin(setId: string, loginServer: string, username: string, password: string): Promise<void> {
  const timeoutMs = Math.min(config().WHARF_UPSTREAM_TIMEOUT_SECONDS * 1000, LOGIN_CHECK_MAX_MS);
  let result = "ok";
  try {
    await new UpstreamClient({ host: canonicalHost(loginServer), credentials: { username, password }, timeoutMs }).ping(AbortSignal.timeout(timeoutMs + 1000));
  } catch (err) {
    const failure = isUpstreamError(err) ? err.failure : "unreachable";
    const message = err instanceof Error ? err.message : String(err);
    result = `${failure}: ${message.split(password).join("…")}`.slice(0, 500);
  }
  await db().credentialSet.updateMany({ where: { id: setId }, data: { lastLoginResult: result, lastLoginAt: new Date() } });
}

async function findSet(reg: LoadedRegistry, name: unknown) {
  const n = String(name ?? "").trim();
  const row = await db().credentialSet.findUnique({ where: { registryId_name: { registryId: reg.id, name: n } }, select: SELECT });
  if (!row) throw notFound(`Registry ${reg.name} has no credential set '${n}'. List them with \`wharf credential-set list --registry ${reg.name}\`.`, "name");
  return row;
}

export async function listCredentialSets(actor: Actor, input: { registry: string }): Promise<CredentialSetView[]> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "read", registryScope(reg));
  const rows = await db().credentialSet.findMany({ where: { registryId: reg.id }, orderBy: { name: "asc" }, select: SELECT });
  return rows.map(view);
}

export async function showCredentialSet(actor: Actor, input: { registry: string; name: string }): Promise<CredentialSetView> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "read", registryScope(reg));
  return view(await findSet(reg, input.name));
}

export async function createCredentialSet(
  actor: Actor,
  input: { registry: string; name: string; loginServer: string; username: string; password: string },
): Promise<CredentialSetView> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const name = checkRuleName(input.name, "credential set");
  const loginServer = checkLoginServer(input.loginServer);
  const username = checkUsername(input.username);
  const sealedPassword = sealSecret(checkPassword(input.password));
  let id: string;
  try {
    id = await db().$transaction(async (tx) => {
      const row = await tx.credentialSet.create({ data: { registryId: reg.id, name, loginServer, username, sealedPassword, createdBy: actorName(actor) }, select: { id: true } });
      await recordActivity(tx, { actor: actorName(actor), action: "credentialSet.create", target: reg.name, registryId: reg.id, after: { name, loginServer, username } });
      return row.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Registry ${reg.name} already has a credential set named '${name}'. Pick another name, or update it with \`wharf credential-set update\`.`, "name");
    throw err;
  }
  // After the commit: a slow upstream must not hold a transaction open.
  await checkLogin(id, loginServer, username, String(input.password));
  return view(await findSet(reg, name));
}

/** New username and/or password; the login is checked again with them, since the last result was about the old ones. */
export async function updateCredentialSet(actor: Actor, input: { registry: string; name: string; username?: string; password?: string }): Promise<CredentialSetView> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  if (input.username === undefined && input.password === undefined) throw invalid("Nothing to change: give --username and/or --password.", "username");
  const row = await findSet(reg, input.name);
  const data: { username?: string; sealedPassword?: string; lastLoginResult: null; lastLoginAt: null } = { lastLoginResult: null, lastLoginAt: null };
  if (input.username !== undefined) data.username = checkUsername(input.username);
  if (input.password !== undefined) data.sealedPassword = sealSecret(checkPassword(input.password));
  const updated = await db().$transaction(async (tx) => {
    const u = await tx.credentialSet.update({ where: { registryId_name: { registryId: reg.id, name: row.name } }, data, select: SELECT });
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "credentialSet.update",
      target: reg.name,
      registryId: reg.id,
      before: { name: row.name, username: row.username },
      after: { name: row.name, username: u.username, passwordChanged: input.password !== undefined },
    });
    return u;
  });
  const password = input.password !== undefined ? String(input.password) : openSecret((await db().credentialSet.findUniqueOrThrow({ where: { id: row.id }, select: { sealedPassword: true } })).sealedPassword);
  await checkLogin(row.id, row.loginServer, updated.username, password);
  return view(await findSet(reg, row.name));
}

/** Refused while a cache rule uses the set: the rule would lose its upstream login. */
export async function deleteCredentialSet(actor: Actor, input: { registry: string; name: string }): Promise<{ deleted: true; name: string }> {
  const reg = await loadRegistry(input?.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const row = await findSet(reg, input.name);
  if (row.cacheRules.length) {
    const names = row.cacheRules.map((r) => r.name).join(", ");
    throw conflict(`Credential set '${row.name}' is used by cache rule(s) ${names}. Delete those rules, or move them to another set (wharf cache update --cred-set …), first.`, "name");
  }
  await db().$transaction(async (tx) => {
    await tx.credentialSet.delete({ where: { registryId_name: { registryId: reg.id, name: row.name } } });
    await recordActivity(tx, { actor: actorName(actor), action: "credentialSet.delete", target: reg.name, registryId: reg.id, before: { name: row.name, loginServer: row.loginServer, username: row.username } });
  });
  return { deleted: true, name: row.name };
}
