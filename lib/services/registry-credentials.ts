import { db } from "../core/db";
import { invalid } from "../core/errors";
import { randomSecret, sha256Hex } from "../auth/password";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { recordActivity } from "./activity";
import { registryScope, type LoadedRegistry } from "./load-registry";
import { showRegistry } from "./registries";

/** The registry's admin user (`az acr credential`): username = registry name, two passwords shown once each. */

async function adminRegistry(actor: Actor, name: string): Promise<LoadedRegistry> {
  const reg = await showRegistry(actor, name);
  await requireActor(actor, "changePolicies", registryScope(reg));
  if (!reg.adminUserEnabled) {
    throw invalid(`The admin user of registry ${reg.name} is disabled. Enable it with \`wharf registry update --name ${reg.name} --admin-enabled true\`.`, "adminUserEnabled");
  }
  return reg;
}

/** The username and when each password was made (values are shown only when generated). */
export async function showAdminCredentials(actor: Actor, name: string) {
  const reg = await adminRegistry(actor, name);
  return {
    username: reg.name,
    passwords: [
      { name: "password1", created: reg.adminPassword1At, set: !!reg.adminPassword1Hash },
      { name: "password2", created: reg.adminPassword2At, set: !!reg.adminPassword2Hash },
    ],
  };
}

/** Regenerates admin password 1 or 2; the new value is returned once, the old one stops working at once. */
export async function renewAdminPassword(actor: Actor, name: string, which: 1 | 2) {
  const reg = await adminRegistry(actor, name);
  if (which !== 1 && which !== 2) throw invalid("Choose password1 or password2.", "password");
  const value = randomSecret(24);
  await db().$transaction(async (tx) => {
    await tx.registry.update({ where: { id: reg.id }, data: { [`adminPassword${which}Hash`]: sha256Hex(value), [`adminPassword${which}At`]: new Date() } });
    await recordActivity(tx, { actor: actorName(actor), action: "registry.renewAdminPassword", target: reg.name, registryId: reg.id, after: { password: `password${which}` } });
  });
  return { username: reg.name, passwords: [{ name: `password${which}`, value }] };
}
