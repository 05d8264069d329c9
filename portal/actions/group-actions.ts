"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addGroupMember, createGroup, deleteGroup, removeGroupMember } from "@wharf/lib/services/groups";
import { precheckOrganisation } from "@wharf/lib/services/prechecks";
import { authedAction, type Precheck } from "../action-client";

/** Authorisation first: only an Owner of the organisation manages groups, as users. */
const mayManageGroups: Precheck = (principal) => precheckOrganisation(principal, "assignRoles");

const name = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, "Group names are 2–64 characters: lower-case letters, digits, '.', '_' or '-'.");
const member = z.string().trim().min(1, "Name a user, or a service principal's client id or name.").max(128);

export const createGroupAction = authedAction("createGroup", z.object({ name, description: z.string().max(256, "At most 256 characters.").optional() }), async (input, { principal }) => {
  const g = await createGroup(principal, input);
  revalidatePath("/groups");
  return { name: g.name };
}, mayManageGroups);

export const deleteGroupAction = authedAction("deleteGroup", z.object({ group: name }), async (input, { principal }) => {
  const out = await deleteGroup(principal, input.group);
  revalidatePath("/groups");
  return out;
}, mayManageGroups);

export const addGroupMemberAction = authedAction("addGroupMember", z.object({ group: name, member }), async (input, { principal }) => {
  const out = await addGroupMember(principal, input);
  revalidatePath("/groups");
  return out;
}, mayManageGroups);

export const removeGroupMemberAction = authedAction("removeGroupMember", z.object({ group: name, member }), async (input, { principal }) => {
  const out = await removeGroupMember(principal, input);
  revalidatePath("/groups");
  return out;
}, mayManageGroups);
