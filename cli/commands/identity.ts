import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createResourceGroup, listResourceGroups } from "../../lib/services/resource-groups";
import { createServicePrincipal, deleteServicePrincipal, listServicePrincipals, resetServicePrincipalSecret, setServicePrincipalDisabled } from "../../lib/services/service-principals";
import { createUserAs, deleteUser, listUsers, resetUserPassword, setUserDisabled } from "../../lib/services/users";
import { optionalText, requireYes, text, yesOption } from "../args";
import { UsageError } from "../errors";
import type { GroupSpec, OptionSpec } from "../command";

/** Who and where: `wharf user`, `wharf sp` (as `az ad sp`) and `wharf group` (as `az group`). */

const idOption: OptionSpec = { flags: "--id <id>", required: true, help: "Client id or name." };
const userNameOption: OptionSpec = { flags: "-n, --name <name>", required: true, help: "The username." };
const accountEnabledOption: OptionSpec = { flags: "--account-enabled <bool>", bool: true, help: "false: it can no longer sign in or get tokens, and its roles stay for review; true: it can again." };

/** `--account-enabled` is the one thing `update` changes (as `az ad user update`/`az ad sp update`): refuse an update without it. */
function accountEnabled(v: unknown, command: string): boolean {
  if (typeof v !== "boolean") throw new UsageError(`Nothing to update: give --account-enabled true or false. See \`${command} --help\`.`);
  return v;
}

export const user: GroupSpec = {
  summary: "Manage portal users (people).",
  children: {
    create: {
      summary: "Create a user; without --password one is generated and printed once.",
      options: [{ flags: "-n, --name <name>", required: true, help: "The username: 2–64 lower-case letters, digits, '.', '_' or '-'." }, { flags: "--password <password>", help: "At least 8 characters." }],
      examples: [{ title: "Create a user.", command: "wharf user create --name alice" }],
      run: async (args, { warn }) => {
        const { password, ...created } = await createUserAs(me, { username: text(args.name), password: optionalText(args.password) });
        if (!password) return created;
        warn("Save the password now: it is shown only this once.");
        return { ...created, password };
      },
    },
    list: {
      summary: "List users.",
      options: [],
      examples: [{ title: "List users.", command: "wharf user list -o table" }],
      table: [
        { header: "USERNAME", field: "username" },
        { header: "DISABLED", field: "disabled" },
        { header: "CREATED", field: "createdAt" },
      ],
      run: async () => listUsers(),
    },
    update: {
      summary: "Disable or enable a user: a disabled user cannot sign in, log in with docker or keep a portal session.",
      options: [userNameOption, accountEnabledOption],
      examples: [{ title: "Disable a user who left the team (their roles stay listed for review).", command: "wharf user update --name alice --account-enabled false" }],
      run: async (args) => setUserDisabled(me, text(args.name), !accountEnabled(args.accountEnabled, "wharf user update")),
    },
    "reset-password": {
      summary: "Replace a user's password with a generated one (printed once).",
      options: [userNameOption],
      examples: [{ title: "Reset a forgotten password.", command: "wharf user reset-password --name alice" }],
      run: async (args, { warn }) => {
        const out = await resetUserPassword(me, text(args.name));
        warn("Save the password now: it is shown only this once.");
        return out;
      },
    },
    delete: {
      summary: "Delete a user and their role assignments and group memberships (not the organisation's last Owner).",
      options: [userNameOption, yesOption],
      examples: [{ title: "Delete a user.", command: "wharf user delete --name alice --yes" }],
      run: async (args) => {
        requireYes(args, `user '${text(args.name)}'`, `wharf user delete --name ${text(args.name)}`);
        return deleteUser(me, text(args.name));
      },
    },
  },
};

export const sp: GroupSpec = {
  summary: "Manage service principals: machine identities that log in with client id and secret.",
  children: {
    create: {
      summary: "Create a service principal; its secret is printed once.",
      options: [{ flags: "-n, --name <name>", required: true, help: "A display name, e.g. ci-pipeline." }],
      examples: [{ title: "Create one for CI.", command: "wharf sp create --name ci-pipeline" }],
      run: async (args, { warn }) => {
        const out = await createServicePrincipal(me, { displayName: text(args.name) });
        warn(`Save the secret now: it is shown only this once. Log in with: docker login -u ${out.clientId} <login server>`);
        return out;
      },
    },
    list: {
      summary: "List service principals.",
      options: [],
      examples: [{ title: "List them.", command: "wharf sp list -o table" }],
      table: [
        { header: "NAME", field: "displayName" },
        { header: "CLIENT ID", field: "clientId" },
        { header: "DISABLED", field: "disabled" },
      ],
      run: async () => listServicePrincipals(me),
    },
    update: {
      summary: "Disable or enable a service principal: a disabled one gets no tokens, and its roles stay for review.",
      options: [idOption, accountEnabledOption],
      examples: [{ title: "Stop a pipeline's access at once without losing its role assignments.", command: "wharf sp update --id ci-pipeline --account-enabled false" }],
      run: async (args) => setServicePrincipalDisabled(me, text(args.id), !accountEnabled(args.accountEnabled, "wharf sp update")),
    },
    delete: {
      summary: "Delete a service principal and its role assignments.",
      options: [idOption, yesOption],
      examples: [{ title: "Delete one.", command: "wharf sp delete --id ci-pipeline --yes" }],
      run: async (args) => {
        requireYes(args, `service principal '${text(args.id)}'`, `wharf sp delete --id ${text(args.id)}`);
        return deleteServicePrincipal(me, text(args.id));
      },
    },
    credential: {
      summary: "Manage a service principal's secret.",
      children: {
        reset: {
          summary: "Replace the secret (printed once).",
          options: [idOption],
          examples: [{ title: "Rotate a secret.", command: "wharf sp credential reset --id ci-pipeline" }],
          run: async (args) => resetServicePrincipalSecret(me, text(args.id)),
        },
      },
    },
  },
};

export const group: GroupSpec = {
  summary: "Manage resource groups (folders of registries; roles assigned on one reach its registries).",
  children: {
    create: {
      summary: "Create a resource group.",
      options: [{ flags: "-n, --name <name>", required: true, help: "1–90 letters, digits, '.', '_', '-', '(' or ')'." }, { flags: "-l, --location <location>", help: "A location label." }],
      examples: [{ title: "Create one.", command: "wharf group create --name platform" }],
      run: async (args) => createResourceGroup(me, { name: text(args.name), location: optionalText(args.location) }),
    },
    list: {
      summary: "List resource groups.",
      options: [],
      examples: [{ title: "List them.", command: "wharf group list -o table" }],
      run: async () => listResourceGroups(me),
    },
  },
};
