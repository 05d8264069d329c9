import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createRoleAssignment, deleteRoleAssignment, listRoleAssignments, ROLES } from "../../lib/services/role-assignments";
import { optionalText, text } from "../args";
import type { GroupSpec, OptionSpec } from "../command";

/** `wharf role assignment …`, as `az role assignment create|list|delete`. */

const scopeOption: OptionSpec = {
  flags: "--scope <scope>",
  default: "/",
  help: 'Where the role applies: "/", "/resourceGroups/<group>", "/registries/<registry>" or "/registries/<registry>/repositories/<repository>".',
};
const assigneeOption: OptionSpec = { flags: "--assignee <assignee>", help: "A username, a service principal's client id or name, or group:<name>." };
const roleOption: OptionSpec = { flags: "--role <role>", choices: ROLES, help: "The role." };
const required = (o: OptionSpec): OptionSpec => ({ ...o, required: true });

export const role: GroupSpec = {
  summary: "Manage role assignments.",
  children: {
    assignment: {
      summary: "Manage role assignments.",
      children: {
        create: {
          summary: "Give a user or service principal a role at a scope (Owner only).",
          options: [required(assigneeOption), required(roleOption), scopeOption],
          examples: [
            { title: "Let a CI identity push to one registry.", command: "wharf role assignment create --assignee <client-id> --role AcrPush --scope /registries/myregistry" },
            { title: "Let a user pull one repository.", command: "wharf role assignment create --assignee alice --role AcrPull --scope /registries/myregistry/repositories/hello" },
          ],
          run: async (args) => createRoleAssignment(me, { assignee: text(args.assignee), role: text(args.role), scope: text(args.scope) }),
        },
        list: {
          summary: "List role assignments at and below a scope.",
          options: [scopeOption, assigneeOption],
          examples: [{ title: "Everything on one registry.", command: "wharf role assignment list --scope /registries/myregistry -o table" }],
          table: [
            { header: "ASSIGNEE", field: "assignee" },
            { header: "TYPE", field: "principalType" },
            { header: "ROLE", field: "role" },
            { header: "SCOPE", field: "scope" },
          ],
          run: async (args) => listRoleAssignments(me, { scope: text(args.scope), assignee: optionalText(args.assignee) }),
        },
        delete: {
          summary: "Remove a role assignment.",
          options: [required(assigneeOption), required(roleOption), scopeOption],
          examples: [{ title: "Remove a pull grant.", command: "wharf role assignment delete --assignee alice --role AcrPull --scope /registries/myregistry" }],
          run: async (args) => deleteRoleAssignment(me, { assignee: text(args.assignee), role: text(args.role), scope: text(args.scope) }),
        },
      },
    },
  },
};
