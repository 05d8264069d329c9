import { db } from "../core/db";
import { recordActivity } from "./activity";
import { conflict, invalid, isUniqueViolation } from "../core/errors";
import { actorName, requireActor, type Actor } from "../auth/actor";

/** Azure's rule: 1–90 letters, digits, '.', '_', '-', '(' or ')', not ending in '.'. */
export const RESOURCE_GROUP_RE = /^[A-Za-z0-9._()-]{1,90}$/;

export function validateResourceGroupName(input: string): string {
  const name = input.trim();
  if (!RESOURCE_GROUP_RE.test(name) || name.endsWith(".")) {
    throw invalid("Resource group name must be 1–90 characters: letters, digits, '.', '_', '-', '(' or ')', not ending in '.'.", "resourceGroup");
  }
  return name;
}

export async function listResourceGroups(actor: Actor) {
  await requireActor(actor, "read", { type: "organisation" });
  const rows = await db().resourceGroup.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { registries: true } } } });
  return rows.map((r) => ({ id: r.id, name: r.name, location: r.location, registries: r._count.registries, createdAt: r.createdAt }));
}

export async function createResourceGroup(actor: Actor, input: { name: string; location?: string }) {
  await requireActor(actor, "createRegistry", { type: "organisation" });
  const name = validateResourceGroupName(input.name);
  try {
    return await db().$transaction(async (tx) => {
      const rg = await tx.resourceGroup.create({ data: { name, location: input.location ?? "local" } });
      await recordActivity(tx, { actor: actorName(actor), action: "resourceGroup.create", target: name });
      return rg;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Resource group '${name}' already exists.`, "resourceGroup");
    throw err;
  }
}
