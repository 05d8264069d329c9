import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createCredentialSet, deleteCredentialSet, listCredentialSets, showCredentialSet, updateCredentialSet } from "../../lib/services/credential-sets";
import { optionalText, registryOption, requireYes, text, yesOption } from "../args";
import type { CommandSpec, GroupSpec } from "../command";

/** `wharf credential-set …` (az acr credential-set): upstream logins for cache rules. Passwords are sealed and never printed. */

const TABLE = [
  { header: "NAME", field: "name" },
  { header: "LOGIN SERVER", field: "loginServer" },
  { header: "USERNAME", field: "username" },
  { header: "LAST LOGIN", field: "lastLoginResult" },
  { header: "RULES", field: "rules" },
];

const nameOption = { flags: "-n, --name <name>", required: true, help: "The name of the credential set (5-50 letters, digits and hyphens)." };

const create: CommandSpec = {
  summary: "Create a credential set: a login to an upstream registry for cache rules.",
  options: [
    registryOption,
    nameOption,
    { flags: "-l, --login-server <host>", required: true, help: "The upstream registry's login server, e.g. docker.io or registry.example.com:5000." },
    { flags: "-u, --username <username>", required: true, help: "The account to log in to the upstream with." },
    { flags: "-p, --password <password>", required: true, help: "Its password or access token: stored encrypted, never shown again." },
  ],
  examples: [{ title: "Log in to Docker Hub for cache rules.", command: "wharf credential-set create -r myregistry -n dockerhub-creds -l docker.io -u me -p \"$HUB_TOKEN\"" }],
  table: TABLE,
  run: async (args) =>
    createCredentialSet(me, { registry: text(args.registry), name: text(args.name), loginServer: text(args.loginServer), username: text(args.username), password: text(args.password) }),
};

const list: CommandSpec = {
  summary: "List the credential sets of a registry (never their passwords).",
  options: [registryOption],
  examples: [{ title: "List credential sets.", command: "wharf credential-set list -r myregistry -o table" }],
  table: TABLE,
  run: async (args) => listCredentialSets(me, { registry: text(args.registry) }),
};

const show: CommandSpec = {
  summary: "Show a credential set and whether its last upstream login worked.",
  options: [registryOption, nameOption],
  examples: [{ title: "Show a credential set.", command: "wharf credential-set show -r myregistry -n dockerhub-creds" }],
  run: async (args) => showCredentialSet(me, { registry: text(args.registry), name: text(args.name) }),
};

const update: CommandSpec = {
  summary: "Change the username and/or password of a credential set.",
  options: [
    registryOption,
    nameOption,
    { flags: "-u, --username <username>", help: "The new account name." },
    { flags: "-p, --password <password>", help: "The new password or access token." },
  ],
  examples: [{ title: "Rotate the password.", command: "wharf credential-set update -r myregistry -n dockerhub-creds -p \"$NEW_TOKEN\"" }],
  table: TABLE,
  run: async (args) => updateCredentialSet(me, { registry: text(args.registry), name: text(args.name), username: optionalText(args.username), password: optionalText(args.password) }),
};

const remove: CommandSpec = {
  summary: "Delete a credential set no cache rule uses.",
  options: [registryOption, nameOption, yesOption],
  examples: [{ title: "Delete a credential set.", command: "wharf credential-set delete -r myregistry -n dockerhub-creds --yes" }],
  run: async (args) => {
    requireYes(args, `credential set ${text(args.name)}`, `wharf credential-set delete -r ${text(args.registry)} -n ${text(args.name)}`);
    return deleteCredentialSet(me, { registry: text(args.registry), name: text(args.name) });
  },
};

export const credentialSet: GroupSpec = {
  summary: "Manage credential sets (upstream logins for cache rules).",
  children: { create, list, show, update, delete: remove },
};
