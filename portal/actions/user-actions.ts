"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createUserAs, deleteUser, resetUserPassword, setUserDisabled } from "@wharf/lib/services/users";
import { createServicePrincipal, deleteServicePrincipal, resetServicePrincipalSecret, setServicePrincipalDisabled } from "@wharf/lib/services/service-principals";
import { precheckOrganisation } from "@wharf/lib/services/prechecks";
import { authedAction, type Precheck } from "../action-client";

/** Authorisation first: only an Owner of the organisation manages users and service principals. */
const mayManagePrincipals: Precheck = (principal) => precheckOrganisation(principal, "assignRoles");

const username = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, "Usernames are 2–64 characters: lower-case letters, digits, '.', '_' or '-'.");

export const createUserAction = authedAction("createUser", 
  z.object({ username, password: z.string().max(256).optional().transform((v) => v || null).refine((v) => v === null || v.length >= 8, "Passwords need at least 8 characters; leave it empty to generate one.") }),
  async (input, { principal }) => {
    const u = await createUserAs(principal, input);
    revalidatePath("/users");
    return { username: u.username, password: u.password };
  },
  mayManagePrincipals,
);

export const resetUserPasswordAction = authedAction("resetUserPassword", z.object({ username }), async (input, { principal }) => {
  const out = await resetUserPassword(principal, input.username);
  revalidatePath("/users");
  return out;
}, mayManagePrincipals);

export const setUserDisabledAction = authedAction("setUserDisabled", z.object({ username, disabled: z.boolean() }), async (input, { principal }) => {
  const out = await setUserDisabled(principal, input.username, input.disabled);
  revalidatePath("/users");
  return out;
}, mayManagePrincipals);

export const deleteUserAction = authedAction("deleteUser", z.object({ username }), async (input, { principal }) => {
  const out = await deleteUser(principal, input.username);
  revalidatePath("/", "layout");
  return out;
}, mayManagePrincipals);

const spName = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, "Names are 1–64 characters: letters, digits, space, '.', '_' or '-'.");
const clientId = z.string().trim().uuid("Not a client id.");

export const createServicePrincipalAction = authedAction("createServicePrincipal", z.object({ displayName: spName }), async (input, { principal }) => {
  const sp = await createServicePrincipal(principal, input);
  revalidatePath("/service-principals");
  return { displayName: sp.displayName, clientId: sp.clientId, secret: sp.secret };
}, mayManagePrincipals);

export const resetServicePrincipalSecretAction = authedAction("resetServicePrincipalSecret", z.object({ clientId }), async (input, { principal }) => {
  const out = await resetServicePrincipalSecret(principal, input.clientId);
  revalidatePath("/service-principals");
  return out;
}, mayManagePrincipals);

export const setServicePrincipalDisabledAction = authedAction("setServicePrincipalDisabled", z.object({ clientId, disabled: z.boolean() }), async (input, { principal }) => {
  const out = await setServicePrincipalDisabled(principal, input.clientId, input.disabled);
  revalidatePath("/service-principals");
  return out;
}, mayManagePrincipals);

export const deleteServicePrincipalAction = authedAction("deleteServicePrincipal", z.object({ clientId }), async (input, { principal }) => {
  const out = await deleteServicePrincipal(principal, input.clientId);
  revalidatePath("/", "layout");
  return out;
}, mayManagePrincipals);
