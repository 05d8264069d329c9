import { db } from "../core/db";
import { recordActivity } from "./activity";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { randomSecret, sha256Hex } from "../auth/password";
import { formatAction, REPO_ACTIONS, type RepoAction } from "../auth/scope-map-actions";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { createScopeMap, ensureBuiltInScopeMaps } from "./scope-maps";
import { loadRegistry, registryScope } from "./load-registry";

/** The repository actions a client may name (`--repository REPO ACTION…`). */
export { REPO_ACTIONS } from "../auth/scope-map-actions";

export const TOKEN_NAME_RE = /^[A-Za-z0-9_-]{5,50}$/;

type TokenRow = {
  name: string;
  enabled: boolean;
  createdAt: Date;
  password1At: Date | null;
  password1Expiry: Date | null;
  password1Hash: string | null;
  password2At: Date | null;
  password2Expiry: Date | null;
  password2Hash: string | null;
  scopeMap: { name: string };
};

export type TokenView = {
  name: string;
  scopeMap: string;
  status: "enabled" | "disabled";
  createdAt: Date;
  credentials: { password1: PasswordInfo | null; password2: PasswordInfo | null };
};
type PasswordInfo = { created: Date | null; expiry: Date | null; expired: boolean };

function view(t: TokenRow): TokenView {
  const info = (hash: string | null, at: Date | null, expiry: Date | null): PasswordInfo | null =>
    hash ? { created: at, expiry, expired: !!expiry && expiry <= new Date() } : null;
  return {
    name: t.name,
    scopeMap: t.scopeMap.name,
    status: t.enabled ? "enabled" : "disabled",
    createdAt: t.createdAt,
    credentials: {
      password1: info(t.password1Hash, t.password1At, t.password1Expiry),
      password2: info(t.password2Hash, t.password2At, t.password2Expiry),
    },
  };
}

/** `[{repository:"hello", actions:["content/read"]}]` → scope-map action strings. */
export function repositoryActions(rules: { repository: string; actions: string[] }[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    if (!r.actions.length) throw invalid(`Give at least one action for repository '${r.repository}', e.g. content/read.`, "repositories");
    for (const a of r.actions) {
      if (!(REPO_ACTIONS as readonly string[]).includes(a)) {
        throw invalid(`Unknown action '${a}'. Use ${REPO_ACTIONS.join(", ")}.`, "repositories");
      }
      out.push(formatAction(r.repository, a as RepoAction));
    }
  }
  return out;
}

function checkExpiry(expiry: Date | null | undefined): Date | null {
  if (!expiry) return null;
  if (Number.isNaN(expiry.getTime())) throw invalid("Expiration is not a valid date; use ISO 8601, e.g. 2027-01-31T00:00:00Z.", "expiration");
  if (expiry <= new Date()) throw invalid("Expiration must be in the future.", "expiration");
  return expiry;
}

export async function createToken(
  actor: Actor,
  input: {
    registry: string;
    name: string;
    scopeMap?: string;
    repositories?: { repository: string; actions: string[] }[];
    enabled?: boolean;
    /** Generate passwords now (like `az acr token create`); default true. */
    generatePasswords?: boolean;
  },
) {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const name = input.name.trim();
  if (!TOKEN_NAME_RE.test(name)) throw invalid("Token name must be 5–50 characters: letters, digits, '-' or '_'.", "name");
  if (!!input.scopeMap === !!input.repositories?.length) {
    throw invalid("Give either an existing scope map (--scope-map) or repositories with actions (--repository REPO ACTION…).", "scopeMap");
  }
  if (await db().registryToken.findUnique({ where: { registryId_name: { registryId: reg.id, name } } })) {
    throw conflict(`Registry ${reg.name} already has a token named '${name}'.`, "name");
  }
  await ensureBuiltInScopeMaps(reg.id);
  let scopeMapName = input.scopeMap;
  if (!scopeMapName) {
    // As ACR does: a token made from repositories gets its own scope map.
    scopeMapName = `${name}-scope-map`.slice(0, 50);
    await createScopeMap(actor, {
      registry: reg.name,
      name: scopeMapName,
      actions: repositoryActions(input.repositories!),
      description: `Created for token ${name}`,
    });
  }
  const map = await db().scopeMap.findUnique({ where: { registryId_name: { registryId: reg.id, name: scopeMapName } } });
  if (!map) throw notFound(`Scope map '${scopeMapName}' not found in registry ${reg.name}. List them with \`wharf scope-map list --registry ${reg.name}\`.`);
  const generate = input.generatePasswords ?? true;
  const p1 = generate ? randomSecret(32) : null;
  const p2 = generate ? randomSecret(32) : null;
  const now = new Date();
  try {
    return await db().$transaction(async (tx) => {
      const t = await tx.registryToken.create({
        data: {
          registryId: reg.id,
          name,
          scopeMapId: map.id,
          enabled: input.enabled ?? true,
          password1Hash: p1 && sha256Hex(p1),
          password1At: p1 ? now : null,
          password2Hash: p2 && sha256Hex(p2),
          password2At: p2 ? now : null,
        },
        include: { scopeMap: { select: { name: true } } },
      });
      await recordActivity(tx, { actor: actorName(actor), action: "token.create", target: `${reg.name}/${name}`, registryId: reg.id, after: { scopeMap: map.name } });
      return {
        ...view(t),
        passwords: generate ? [{ name: "password1", value: p1!, expiry: null }, { name: "password2", value: p2!, expiry: null }] : [],
        username: name,
      };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Registry ${reg.name} already has a token named '${name}'.`, "name");
    throw err;
  }
}

async function findToken(registryId: string, registry: string, name: string) {
  const t = await db().registryToken.findUnique({
    where: { registryId_name: { registryId, name } },
    include: { scopeMap: { select: { name: true } } },
  });
  if (!t) throw notFound(`Token '${name}' not found in registry ${registry}. List them with \`wharf token list --registry ${registry}\`.`);
  return t;
}

export async function listTokens(actor: Actor, registry: string): Promise<TokenView[]> {
  const reg = await loadRegistry(registry);
  await requireActor(actor, "read", registryScope(reg));
  const rows = await db().registryToken.findMany({
    where: { registryId: reg.id },
    include: { scopeMap: { select: { name: true } } },
    orderBy: { name: "asc" },
  });
  return rows.map(view);
}

export async function showToken(actor: Actor, registry: string, name: string): Promise<TokenView> {
  const reg = await loadRegistry(registry);
  await requireActor(actor, "read", registryScope(reg));
  return view(await findToken(reg.id, reg.name, name));
}

export async function updateToken(actor: Actor, input: { registry: string; name: string; status?: string; scopeMap?: string }) {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const t = await findToken(reg.id, reg.name, input.name);
  const data: { enabled?: boolean; scopeMapId?: string } = {};
  if (input.status !== undefined) {
    if (input.status !== "enabled" && input.status !== "disabled") throw invalid("Status must be 'enabled' or 'disabled'.", "status");
    data.enabled = input.status === "enabled";
  }
  if (input.scopeMap !== undefined) {
    await ensureBuiltInScopeMaps(reg.id);
    const map = await db().scopeMap.findUnique({ where: { registryId_name: { registryId: reg.id, name: input.scopeMap } } });
    if (!map) throw notFound(`Scope map '${input.scopeMap}' not found in registry ${reg.name}.`);
    data.scopeMapId = map.id;
  }
  if (!Object.keys(data).length) throw invalid("Nothing to change: give --status or --scope-map.");
  return db().$transaction(async (tx) => {
    const updated = await tx.registryToken.update({ where: { id: t.id }, data, include: { scopeMap: { select: { name: true } } } });
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "token.update",
      target: `${reg.name}/${t.name}`,
      registryId: reg.id,
      before: { status: t.enabled ? "enabled" : "disabled", scopeMap: t.scopeMap.name },
      after: { status: updated.enabled ? "enabled" : "disabled", scopeMap: updated.scopeMap.name },
    });
    return view(updated);
  });
}

/** New password 1 or 2 (the other keeps working, for rotation); shown once. */
export async function generateTokenPassword(actor: Actor, input: { registry: string; name: string; password: 1 | 2; expiry?: Date | null }) {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  if (input.password !== 1 && input.password !== 2) throw invalid("Choose password 1 or password 2.", "password");
  const expiry = checkExpiry(input.expiry);
  const t = await findToken(reg.id, reg.name, input.name);
  const value = randomSecret(32);
  const now = new Date();
  const data =
    input.password === 1
      ? { password1Hash: sha256Hex(value), password1At: now, password1Expiry: expiry }
      : { password2Hash: sha256Hex(value), password2At: now, password2Expiry: expiry };
  await db().$transaction(async (tx) => {
    await tx.registryToken.update({ where: { id: t.id }, data });
    await recordActivity(tx, {
      actor: actorName(actor),
      action: "token.generatePassword",
      target: `${reg.name}/${t.name}`,
      registryId: reg.id,
      after: { password: `password${input.password}`, expiry },
    });
  });
  return { username: t.name, passwords: [{ name: `password${input.password}`, value, expiry }] };
}

export async function deleteToken(actor: Actor, input: { registry: string; name: string }) {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const t = await findToken(reg.id, reg.name, input.name);
  await db().$transaction(async (tx) => {
    await tx.registryToken.delete({ where: { id: t.id } });
    await recordActivity(tx, { actor: actorName(actor), action: "token.delete", target: `${reg.name}/${t.name}`, registryId: reg.id });
  });
  return { deleted: true };
}
