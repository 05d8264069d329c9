import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createResourceGroup, listResourceGroups } from "../../lib/services/resource-groups";
import { createServicePrincipal, deleteServicePrincipal, listServicePrincipals, resetServicePrincipalSecret } from "../../lib/services/service-principals";
import { createUserAs, listUsers } from "../../lib/services/users";
import { optionalText, requireYes, text, yesOption } from "../args";
import type { GroupSpec, OptionSpec } from "../command";

/** Who and where: `wharf user`, `wharf sp` (as `az ad sp`) and `wharf group` (as `az group`). */

const idOption: OptionSpec = { flags: "--id <id>", required: true, help: "Client id or name." };

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
