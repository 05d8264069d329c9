"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createRoleAssignment, deleteRoleAssignment } from "@wharf/lib/services/role-assignments";
import { checkAccess, searchPrincipals } from "@wharf/lib/services/role-grid";
import { ROLES } from "@wharf/lib/auth/roles";
import { precheckScope } from "@wharf/lib/services/prechecks";
import { authedAction, type Precheck } from "../action-client";

/** Authorisation first: only an Owner at the scope changes its role assignments. */
const mayAssignRoles: Precheck = (principal, raw) => precheckScope(principal, raw.scope, "assignRoles");

const scope = z.string().trim().startsWith("/", "Scopes start with '/'.").max(400);
const assignee = z.string().trim().min(1, "Choose a user or service principal.").max(128);
const role = z.enum(ROLES, { message: `Choose one of ${ROLES.join(", ")}.` });

function revalidate() {
  revalidatePath("/", "layout");
}

export const createRoleAssignmentAction = authedAction("createRoleAssignment", z.object({ assignee, role, scope }), async (input, { principal }) => {
  const out = await createRoleAssignment(principal, input);
  revalidate();
  return { id: out.id };
}, mayAssignRoles);

export const deleteRoleAssignmentAction = authedAction("deleteRoleAssignment", z.object({ assignee, role, scope }), async (input, { principal }) => {
  await deleteRoleAssignment(principal, input);
  revalidate();
  return { deleted: true };
}, mayAssignRoles);

export const searchPrincipalsAction = authedAction("searchPrincipals", z.object({ scope, query: z.string().max(64).optional() }), async (input, { principal }) =>
  searchPrincipals(principal, input),
);

export const checkAccessAction = authedAction("checkAccess", z.object({ assignee, scope }), async (input, { principal }) => checkAccess(principal, input));
