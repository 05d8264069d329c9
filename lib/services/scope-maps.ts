import { db } from "../core/db";
import { recordActivity } from "./activity";
import { conflict, invalid, isUniqueViolation, notFound } from "../core/errors";
import { BUILT_IN_SCOPE_MAPS, normaliseActions } from "../auth/scope-map-actions";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { loadRegistry, registryScope } from "./load-registry";

export const SCOPE_MAP_NAME_RE = /^[A-Za-z0-9_-]{5,50}$/;


/** Built-in scope maps exist in every registry; created on first need. */
export async function ensureBuiltInScopeMaps(registryId: string): Promise<void> {
  const existing = await db().scopeMap.findMany({ where: { registryId, builtIn: true }, select: { name: true } });
  const have = new Set(existing.map((m) => m.name));
  for (const [name, def] of Object.entries(BUILT_IN_SCOPE_MAPS)) {
    if (have.has(name)) continue;
    try {
      await db().scopeMap.create({
        data: { registryId, name, description: def.description, actions: JSON.stringify(def.actions), builtIn: true },
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // created concurrently: fine
    }
  }
}

function actionsOf(actions: string[]): string[] {
  const out = normaliseActions(actions);
  if (!out.length) throw invalid("A scope map needs at least one action, e.g. repositories/hello/content/read.", "actions");
  return out;
}

export type ScopeMapView = {
  name: string;
  description: string;
  actions: string[];
  builtIn: boolean;
  tokens: string[];
  createdAt: Date;
};

function view(m: { name: string; description: string; actions: string; builtIn: boolean; createdAt: Date; tokens?: { name: string }[] }): ScopeMapView {
  return {
    name: m.name,
    description: m.description,
    actions: JSON.parse(m.actions) as string[],
    builtIn: m.builtIn,
    tokens: (m.tokens ?? []).map((t) => t.name),
    createdAt: m.createdAt,
  };
}

export async function listScopeMaps(actor: Actor, registry: string): Promise<ScopeMapView[]> {
  const reg = await loadRegistry(registry);
  await requireActor(actor, "read", registryScope(reg));
  await ensureBuiltInScopeMaps(reg.id);
  const rows = await db().scopeMap.findMany({
    where: { registryId: reg.id },
    include: { tokens: { select: { name: true } } },
    orderBy: [{ builtIn: "desc" }, { name: "asc" }],
  });
  return rows.map(view);
}

export async function getScopeMap(actor: Actor, registry: string, name: string): Promise<ScopeMapView> {
  const reg = await loadRegistry(registry);
  await requireActor(actor, "read", registryScope(reg));
  await ensureBuiltInScopeMaps(reg.id);
  const m = await db().scopeMap.findUnique({
    where: { registryId_name: { registryId: reg.id, name } },
    include: { tokens: { select: { name: true } } },
  });
  if (!m) throw notFound(`Scope map '${name}' not found in registry ${reg.name}. List them with \`wharf scope-map list --registry ${reg.name}\`.`);
  return view(m);
}

export async function createScopeMap(actor: Actor, input: { registry: string; name: string; actions: string[]; description?: string }) {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const name = input.name.trim();
  if (!SCOPE_MAP_NAME_RE.test(name)) throw invalid("Scope map name must be 5–50 characters: letters, digits, '-' or '_'.", "name");
  if (name.startsWith("_")) throw invalid("Names starting with '_' are reserved for built-in scope maps.", "name");
  const actions = actionsOf(input.actions);
  try {
    return await db().$transaction(async (tx) => {
      const m = await tx.scopeMap.create({
        data: { registryId: reg.id, name, description: (input.description ?? "").slice(0, 256), actions: JSON.stringify(actions) },
      });
      await recordActivity(tx, { actor: actorName(actor), action: "scopeMap.create", target: `${reg.name}/${name}`, registryId: reg.id, after: { actions } });
      return view(m);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Registry ${reg.name} already has a scope map named '${name}'.`, "name");
    throw err;
  }
}

export async function updateScopeMap(
  actor: Actor,
  input: { registry: string; name: string; addActions?: string[]; removeActions?: string[]; actions?: string[]; description?: string },
) {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const m = await db().scopeMap.findUnique({ where: { registryId_name: { registryId: reg.id, name: input.name } } });
  if (!m) throw notFound(`Scope map '${input.name}' not found in registry ${reg.name}.`);
  if (m.builtIn) throw invalid(`'${m.name}' is a built-in scope map and cannot be changed; create your own instead.`, "name");
  const before = JSON.parse(m.actions) as string[];
  let next = input.actions ? actionsOf(input.actions) : before;
  if (input.addActions?.length) next = actionsOf([...next, ...input.addActions]);
  if (input.removeActions?.length) {
    const remove = new Set(normaliseActions(input.removeActions));
    next = next.filter((a) => !remove.has(a));
  }
  if (!next.length) throw invalid("A scope map needs at least one action.", "actions");
  return db().$transaction(async (tx) => {
    const updated = await tx.scopeMap.update({
      where: { id: m.id },
      data: { actions: JSON.stringify(next), ...(input.description !== undefined ? { description: input.description.slice(0, 256) } : {}) },
      include: { tokens: { select: { name: true } } },
    });
    await recordActivity(tx, { actor: actorName(actor), action: "scopeMap.update", target: `${reg.name}/${m.name}`, registryId: reg.id, before: { actions: before }, after: { actions: next } });
    return view(updated);
  });
}

export async function deleteScopeMap(actor: Actor, input: { registry: string; name: string }) {
  const reg = await loadRegistry(input.registry);
  await requireActor(actor, "changePolicies", registryScope(reg));
  const m = await db().scopeMap.findUnique({
    where: { registryId_name: { registryId: reg.id, name: input.name } },
    include: { tokens: { select: { name: true } } },
  });
  if (!m) throw notFound(`Scope map '${input.name}' not found in registry ${reg.name}.`);
  if (m.builtIn) throw invalid(`'${m.name}' is a built-in scope map and cannot be deleted.`, "name");
  if (m.tokens.length) {
    throw conflict(`Scope map '${m.name}' is used by token(s) ${m.tokens.map((t) => t.name).join(", ")}; delete them or move them to another scope map first.`);
  }
  await db().$transaction(async (tx) => {
    await tx.scopeMap.delete({ where: { id: m.id } });
    await recordActivity(tx, { actor: actorName(actor), action: "scopeMap.delete", target: `${reg.name}/${m.name}`, registryId: reg.id, before: { actions: JSON.parse(m.actions) } });
  });
  return { deleted: true };
}
