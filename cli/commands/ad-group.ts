import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { addGroupMember, createGroup, deleteGroup, listGroups, removeGroupMember, showGroup } from "../../lib/services/groups";
import { optionalText, requireYes, text, yesOption } from "../args";
import type { GroupSpec, OptionSpec } from "../command";

/** `wharf ad group`, as `az ad group`: groups of users and service principals that roles can be assigned to. */

const groupOption: OptionSpec = { flags: "-g, --group <name>", required: true, help: "The group's name." };
const memberOption: OptionSpec = { flags: "--member-id <member>", required: true, help: "A username, or a service principal's client id or name." };

const group: GroupSpec = {
  summary: "Manage groups of users and service principals; a role assigned to a group (--assignee group:<name>) applies to each member.",
  children: {
    create: {
      summary: "Create a group.",
      options: [{ flags: "--display-name <name>", required: true, help: "2–64 lower-case letters, digits, '.', '_' or '-'." }, { flags: "--description <text>", help: "What the group is for." }],
      examples: [
        { title: "Create a group and give it AcrPush on a registry.", command: "wharf ad group create --display-name developers\nwharf role assignment create --assignee group:developers --role AcrPush --scope /registries/contoso" },
      ],
      run: async (args) => createGroup(me, { name: text(args.displayName), description: optionalText(args.description) }),
    },
    list: {
      summary: "List groups.",
      options: [],
      examples: [{ title: "List groups.", command: "wharf ad group list -o table" }],
      table: [
        { header: "NAME", field: "name" },
        { header: "MEMBERS", field: "members" },
        { header: "DESCRIPTION", field: "description" },
      ],
      run: async () => listGroups(me),
    },
    show: {
      summary: "Show a group with its members and roles.",
      options: [groupOption],
      examples: [{ title: "Show a group.", command: "wharf ad group show --group developers" }],
      run: async (args) => showGroup(me, text(args.group)),
    },
    delete: {
      summary: "Delete a group and the roles assigned to it (its members lose what only the group gave them).",
      options: [groupOption, yesOption],
      examples: [{ title: "Delete a group.", command: "wharf ad group delete --group developers --yes" }],
      run: async (args) => {
        requireYes(args, `group '${text(args.group)}' and its role assignments`, `wharf ad group delete --group ${text(args.group)}`);
        return deleteGroup(me, text(args.group));
      },
    },
    member: {
      summary: "Manage a group's members.",
      children: {
        add: {
          summary: "Add a user or service principal.",
          options: [groupOption, memberOption],
          examples: [{ title: "Add alice.", command: "wharf ad group member add --group developers --member-id alice" }],
          run: async (args) => addGroupMember(me, { group: text(args.group), member: text(args.memberId) }),
        },
        remove: {
          summary: "Remove a member.",
          options: [groupOption, memberOption],
          examples: [{ title: "Remove alice.", command: "wharf ad group member remove --group developers --member-id alice" }],
          run: async (args) => removeGroupMember(me, { group: text(args.group), member: text(args.memberId) }),
        },
        list: {
          summary: "List a group's members.",
          options: [groupOption],
          examples: [{ title: "List members.", command: "wharf ad group member list --group developers -o table" }],
          table: [
            { header: "NAME", field: "name" },
            { header: "TYPE", field: "type" },
            { header: "DISABLED", field: "disabled" },
          ],
          run: async (args) => (await showGroup(me, text(args.group))).members,
        },
      },
    },
  },
};

export const ad: GroupSpec = { summary: "Directory objects, as `az ad`: groups (users: `wharf user`, service principals: `wharf sp`).", children: { group } };
