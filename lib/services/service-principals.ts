import crypto from "node:crypto";
import { db } from "../core/db";
import { recordActivity } from "./activity";
import { forgetMemberships } from "./groups";
import { invalid, notFound } from "../core/errors";
import { randomSecret, sha256Hex } from "../auth/password";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { keepAnOwner } from "./owner-guard";

const ORG = { type: "organisation" } as const;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** Creates a service principal; the secret is returned once and stored only as a hash. */
export async function createServicePrincipal(actor: Actor, input: { displayName: string }) {
  await requireActor(actor, "assignRoles", ORG);
  const displayName = input.displayName.trim();
  if (!NAME_RE.test(displayName)) throw invalid("Name must be 1–64 characters: letters, digits, space, '.', '_' or '-'.", "displayName");
  const clientId = crypto.randomUUID();
  const secret = randomSecret(32);
  return db().$transaction(async (tx) => {
    const sp = await tx.servicePrincipal.create({ data: { clientId, displayName, secretHash: sha256Hex(secret) } });
    await recordActivity(tx, { actor: actorName(actor), action: "servicePrincipal.create", target: displayName, after: { clientId } });
    return { id: sp.id, displayName, clientId, secret, createdAt: sp.createdAt };
  });
}

export async function listServicePrincipals(actor: Actor) {
  await requireActor(actor, "read", ORG);
  const rows = await db().servicePrincipal.findMany({ orderBy: { displayName: "asc" } });
  return rows.map((s) => ({ id: s.id, displayName: s.displayName, clientId: s.clientId, disabled: s.disabled, createdAt: s.createdAt }));
}

async function find(idOrName: string) {
  const key = idOrName.trim();
  const sp =
    (await db().servicePrincipal.findUnique({ where: { clientId: key.toLowerCase() } })) ??
    (await db().servicePrincipal.findFirst({ where: { displayName: key } }));
  if (!sp) throw notFound(`No service principal '${key}'. List them with \`wharf sp list\`.`);
  return sp;
}

export async function resetServicePrincipalSecret(actor: Actor, idOrName: string) {
  await requireActor(actor, "assignRoles", ORG);
  const sp = await find(idOrName);
  const secret = randomSecret(32);
  await db().$transaction(async (tx) => {
    await tx.servicePrincipal.update({ where: { id: sp.id }, data: { secretHash: sha256Hex(secret) } });
    await recordActivity(tx, { actor: actorName(actor), action: "servicePrincipal.resetSecret", target: sp.displayName });
  });
  return { displayName: sp.displayName, clientId: sp.clientId, secret };
}

export async function setServicePrincipalDisabled(actor: Actor, idOrName: string, disabled: boolean) {
  await requireActor(actor, "assignRoles", ORG);
  const sp = await find(idOrName);
  await db().$transaction(async (tx) => {
    await keepAnOwner(tx, sp.displayName, () => tx.servicePrincipal.update({ where: { id: sp.id }, data: { disabled } }));
    await recordActivity(tx, { actor: actorName(actor), action: disabled ? "servicePrincipal.disable" : "servicePrincipal.enable", target: sp.displayName });
  });
  return { displayName: sp.displayName, clientId: sp.clientId, disabled };
}

/** Deletes the principal and its role assignments. */
export async function deleteServicePrincipal(actor: Actor, idOrName: string) {
  await requireActor(actor, "assignRoles", ORG);
  const sp = await find(idOrName);
  await db().$transaction(async (tx) => {
    await keepAnOwner(tx, sp.displayName, async () => {
      await tx.roleAssignment.deleteMany({ where: { principalType: "servicePrincipal", principalId: sp.id } });
      await forgetMemberships(tx, "servicePrincipal", sp.id);
      await tx.servicePrincipal.delete({ where: { id: sp.id } });
    });
    await recordActivity(tx, { actor: actorName(actor), action: "servicePrincipal.delete", target: sp.displayName, before: { clientId: sp.clientId } });
  });
  return { deleted: true, clientId: sp.clientId };
}
