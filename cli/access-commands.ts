import { UsageError, type ArgValue, type CommandSpec, type GroupSpec, type OptionSpec } from "./args";
import { LOCAL_OPERATOR } from "../lib/auth/actor";
import { createRoleAssignment, deleteRoleAssignment, listRoleAssignments } from "../lib/services/role-assignments";
import { createScopeMap, deleteScopeMap, getScopeMap, listScopeMaps, updateScopeMap } from "../lib/services/scope-maps";
import { createToken, deleteToken, generateTokenPassword, listTokens, repositoryActions, showToken, updateToken } from "../lib/services/tokens";
import { normaliseNetworkRules, renewAdminPassword, showAdminCredentials, updateRegistry, type RegistryUpdate } from "../lib/services/registry-settings";
import {
  createServicePrincipal,
  deleteServicePrincipal,
  listServicePrincipals,
  resetServicePrincipalSecret,
} from "../lib/services/service-principals";
import { createResourceGroup, listResourceGroups } from "../lib/services/resource-groups";
import { createUser, listUsers } from "../lib/services/users";
import { randomSecret } from "../lib/auth/password";
import { ROLES } from "../lib/auth/roles";
import { REPO_ACTIONS } from "../lib/auth/scope-map-actions";
import { getRegistry, loginServerOf, SKUS } from "../lib/services/registry-queries";
import * as lockService from "../lib/registry/locks";

/**
 * Access-control verbs, modelled on `az acr update|credential|scope-map|token`,
 * `az role assignment` and `az ad sp`. The CLI acts as the local operator: whoever
 * can run it on the server's data dir holds the database anyway.
 */
const me = LOCAL_OPERATOR;
const s = (v: ArgValue): string => (typeof v === "string" ? v : "");
const words = (v: ArgValue): string[][] => (Array.isArray(v) ? v : []);

function bool(v: ArgValue, name: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new UsageError(`Argument --${name} must be true or false (got '${String(v)}').`);
}

/** `--repository hello content/read metadata/read` → rules. */
function repositoryRules(v: ArgValue, flag = "repository") {
  return words(v).map(([repository, ...actions]) => {
    if (!actions.length) {
      throw new UsageError(`--${flag} ${repository} needs at least one action after it: ${REPO_ACTIONS.join(", ")}.`);
    }
    return { repository, actions };
  });
}

function expiryOf(args: Record<string, ArgValue>): Date | null {
  if (args.expiration !== undefined && args["expiration-in-days"] !== undefined) {
    throw new UsageError("Give --expiration or --expiration-in-days, not both.");
  }
  if (typeof args.expiration === "string") {
    const d = new Date(args.expiration);
    if (Number.isNaN(d.getTime())) throw new UsageError(`--expiration '${args.expiration}' is not a date; use ISO 8601, e.g. 2027-01-31T00:00:00Z.`);
    return d;
  }
  if (typeof args["expiration-in-days"] === "string") {
    const days = Number(args["expiration-in-days"]);
    if (!Number.isInteger(days) || days < 1) throw new UsageError("--expiration-in-days must be a positive whole number.");
    return new Date(Date.now() + days * 86_400_000);
  }
  return null;
}

const registryOpt: OptionSpec = { name: "registry", short: "r", required: true, help: "The name of the registry." };
const nameReq = (help: string): OptionSpec => ({ name: "name", short: "n", required: true, help });
const yesOpt: OptionSpec = { name: "yes", short: "y", flag: true, help: "Do not prompt for confirmation." };
const requireYes = (args: Record<string, ArgValue>, what: string, command: string) => {
  if (args.yes !== true) throw new UsageError(`Deleting ${what} cannot be undone. To confirm, run \`${command} --yes\`.`);
};
const cmd = (c: Omit<CommandSpec, "kind">): CommandSpec => ({ kind: "command", ...c });
const group = (summary: string, children: GroupSpec["children"]): GroupSpec => ({ kind: "group", summary, children });

function registryView(r: NonNullable<Awaited<ReturnType<typeof getRegistry>>>) {
  const { loginServer } = loginServerOf(r.name);
  return {
    name: r.name,
    loginServer,
    sku: { name: r.sku, tier: r.sku },
    location: r.location,
    anonymousPullEnabled: r.anonymousPullEnabled,
    adminUserEnabled: r.adminUserEnabled,
    publicNetworkAccess: r.publicNetworkAccess,
    networkRuleSet: { defaultAction: r.networkDefaultAction, ipRules: (JSON.parse(r.networkRules) as string[]).map((ip) => ({ action: "Allow", ipAddressOrRange: ip })) },
    lastUpdateDate: r.updatedAt,
  };
}

/** `wharf registry update`, added to the registry group. */
export const registryUpdate = cmd({
  summary: "Update a registry: SKU, anonymous pull, admin user, public network access.",
  options: [
    { name: "name", short: "n", required: true, help: "The name of the registry." },
    { name: "sku", choices: SKUS, help: "Change the SKU (refused while the registry uses a feature the new SKU lacks)." },
    { name: "anonymous-pull-enabled", help: "true or false: let anyone who can reach the server pull every repository (Standard, Premium)." },
    { name: "admin-enabled", help: "true or false: the admin user (username = registry name) with pull and push on every repository." },
    { name: "public-network-enabled", help: "true or false: refuse every client when false (Premium)." },
    { name: "default-action", choices: ["Allow", "Deny"], help: "Network rule default action; with Deny only the allowed IP ranges get in (Premium)." },
  ],
  examples: [
    { title: "Enable anonymous pull.", command: "wharf registry update --name myregistry --anonymous-pull-enabled true" },
    { title: "Turn on the admin user (prints its two passwords once).", command: "wharf registry update -n myregistry --admin-enabled true" },
  ],
  run: async ({ args }) => {
    const update: RegistryUpdate = {};
    if (args.sku !== undefined) update.sku = s(args.sku);
    const anon = bool(args["anonymous-pull-enabled"], "anonymous-pull-enabled");
    if (anon !== undefined) update.anonymousPullEnabled = anon;
    const admin = bool(args["admin-enabled"], "admin-enabled");
    if (admin !== undefined) update.adminUserEnabled = admin;
    const pub = bool(args["public-network-enabled"], "public-network-enabled");
    if (pub !== undefined) update.publicNetworkAccess = pub ? "Enabled" : "Disabled";
    if (args["default-action"] !== undefined) update.networkDefaultAction = s(args["default-action"]);
    if (!Object.keys(update).length) throw new UsageError("Nothing to update. See `wharf registry update --help`.");
    const { registry, passwords } = await updateRegistry(me, s(args.name), update);
    const view = registryView(registry);
    return passwords.length ? { ...view, adminUser: { username: registry.name, passwords } } : view;
  },
});

const ipOpt: OptionSpec = { name: "ip-address", required: true, help: "An IPv4/IPv6 address or CIDR range, e.g. 203.0.113.0/24." };
const networkRule = group("Manage IP network rules of a (Premium) registry.", {
  add: cmd({
    summary: "Allow an IP address or range.",
    options: [{ name: "name", short: "n", required: true, help: "The name of the registry." }, ipOpt],
    examples: [{ title: "Allow a subnet.", command: "wharf registry network-rule add -n myregistry --ip-address 203.0.113.0/24" }],
    run: async ({ args }) => {
      const reg = await getRegistry(s(args.name));
      const rules = reg ? (JSON.parse(reg.networkRules) as string[]) : [];
      return registryView((await updateRegistry(me, s(args.name), { networkRules: [...rules, s(args["ip-address"])] })).registry).networkRuleSet;
    },
  }),
  remove: cmd({
    summary: "Remove an allowed IP address or range.",
    options: [{ name: "name", short: "n", required: true, help: "The name of the registry." }, ipOpt],
    examples: [{ title: "Remove a subnet.", command: "wharf registry network-rule remove -n myregistry --ip-address 203.0.113.0/24" }],
    run: async ({ args }) => {
      const reg = await getRegistry(s(args.name));
      const rules = reg ? (JSON.parse(reg.networkRules) as string[]) : [];
      const [drop] = normaliseNetworkRules([s(args["ip-address"])]);
      if (!rules.includes(drop)) throw new UsageError(`${drop} is not among the rules of ${s(args.name)}: ${rules.join(", ") || "none"}.`);
      return registryView((await updateRegistry(me, s(args.name), { networkRules: rules.filter((r) => r !== drop) })).registry).networkRuleSet;
    },
  }),
  list: cmd({
    summary: "List the network rules.",
    options: [{ name: "name", short: "n", required: true, help: "The name of the registry." }],
    examples: [{ title: "List rules.", command: "wharf registry network-rule list -n myregistry" }],
    run: async ({ args }) => {
      const reg = await getRegistry(s(args.name));
      if (!reg) throw new UsageError(`Registry '${s(args.name)}' not found. List registries with \`wharf registry list\`.`);
      return registryView(reg).networkRuleSet;
    },
  }),
});

export const credential = group("Manage the admin user's credentials of a registry.", {
  show: cmd({
    summary: "Show the admin user's username and when each password was made (values are shown only when generated).",
    options: [{ name: "name", short: "n", required: true, help: "The name of the registry." }],
    examples: [{ title: "Show the admin username.", command: "wharf credential show --name myregistry --query username" }],
    run: async ({ args }) => showAdminCredentials(me, s(args.name)),
  }),
  renew: cmd({
    summary: "Regenerate password or password2 of the admin user (printed once).",
    options: [
      { name: "name", short: "n", required: true, help: "The name of the registry." },
      { name: "password-name", required: true, choices: ["password", "password2"], help: "Which password to regenerate." },
    ],
    examples: [{ title: "Rotate the second password.", command: "wharf credential renew -n myregistry --password-name password2" }],
    run: async ({ args }) => renewAdminPassword(me, s(args.name), args["password-name"] === "password2" ? 2 : 1),
  }),
});

const repoOpt: OptionSpec = {
  name: "repository",
  multi: true,
  help: `Repository (exact, "prefix/*" or "*") followed by actions: ${REPO_ACTIONS.join(", ")}. Repeat for more repositories.`,
};
const MAP_TABLE = [
  { header: "NAME", field: "name" },
  { header: "BUILT IN", field: "builtIn" },
  { header: "DESCRIPTION", field: "description" },
  { header: "TOKENS", field: "tokens" },
];

export const scopeMap = group("Manage scope maps: named sets of repository permissions for tokens.", {
  create: cmd({
    summary: "Create a scope map.",
    options: [registryOpt, nameReq("The name of the scope map: 5–50 letters, digits, '-' or '_'."), { ...repoOpt, required: true }, { name: "description", help: "A description." }],
    examples: [
      { title: "Pull and read tags of one repository.", command: "wharf scope-map create -r myregistry -n pull-hello --repository hello content/read metadata/read" },
      { title: "Push to everything under team/.", command: "wharf scope-map create -r myregistry -n team-ci --repository 'team/*' content/read content/write" },
    ],
    run: async ({ args }) =>
      createScopeMap(me, { registry: s(args.registry), name: s(args.name), actions: repositoryActions(repositoryRules(args.repository)), description: s(args.description) }),
  }),
  list: cmd({
    summary: "List scope maps, built-in ones included.",
    options: [registryOpt],
    examples: [{ title: "List scope maps.", command: "wharf scope-map list -r myregistry -o table" }],
    table: MAP_TABLE,
    run: async ({ args }) => listScopeMaps(me, s(args.registry)),
  }),
  show: cmd({
    summary: "Show a scope map's actions and the tokens that use it.",
    options: [registryOpt, nameReq("The name of the scope map.")],
    examples: [{ title: "Show a built-in map.", command: "wharf scope-map show -r myregistry -n _repositories_pull" }],
    run: async ({ args }) => getScopeMap(me, s(args.registry), s(args.name)),
  }),
  update: cmd({
    summary: "Add or remove repository actions.",
    options: [
      registryOpt,
      nameReq("The name of the scope map."),
      { ...repoOpt, name: "add-repository", help: "Repository followed by actions to add." },
      { ...repoOpt, name: "remove-repository", help: "Repository followed by actions to remove." },
      { name: "description", help: "A new description." },
    ],
    examples: [{ title: "Also allow delete.", command: "wharf scope-map update -r myregistry -n pull-hello --add-repository hello content/delete" }],
    run: async ({ args }) =>
      updateScopeMap(me, {
        registry: s(args.registry),
        name: s(args.name),
        addActions: args["add-repository"] ? repositoryActions(repositoryRules(args["add-repository"], "add-repository")) : undefined,
        removeActions: args["remove-repository"] ? repositoryActions(repositoryRules(args["remove-repository"], "remove-repository")) : undefined,
        description: args.description === undefined ? undefined : s(args.description),
      }),
  }),
  delete: cmd({
    summary: "Delete a scope map no token uses.",
    options: [registryOpt, nameReq("The name of the scope map."), yesOpt],
    examples: [{ title: "Delete a scope map.", command: "wharf scope-map delete -r myregistry -n pull-hello --yes" }],
    run: async ({ args }) => {
      requireYes(args, `scope map '${s(args.name)}'`, `wharf scope-map delete -r ${s(args.registry)} -n ${s(args.name)}`);
      return deleteScopeMap(me, { registry: s(args.registry), name: s(args.name) });
    },
  }),
});

const TOKEN_TABLE = [
  { header: "NAME", field: "name" },
  { header: "SCOPE MAP", field: "scopeMap" },
  { header: "STATUS", field: "status" },
  { header: "CREATED", field: "createdAt" },
];

export const token = group("Manage repository-scoped tokens (docker login with the token name and a password).", {
  create: cmd({
    summary: "Create a token; its two passwords are printed once.",
    options: [
      nameReq("The token name (also the docker login username): 5–50 letters, digits, '-' or '_'."),
      registryOpt,
      { name: "scope-map", help: "An existing scope map (or a built-in such as _repositories_pull)." },
      repoOpt,
      { name: "status", choices: ["enabled", "disabled"], default: "enabled", help: "Whether the token may log in." },
      { name: "no-passwords", flag: true, help: "Create without passwords; generate them later." },
    ],
    examples: [
      { title: "A pull-only token for one repository.", command: "wharf token create -n readonlypull -r myregistry --repository aspnetapp content/read metadata/read" },
      { title: "A token from a built-in scope map.", command: "wharf token create -n ci-push -r myregistry --scope-map _repositories_push" },
    ],
    table: TOKEN_TABLE,
    run: async ({ args }) => {
      const repositories = args.repository ? repositoryRules(args.repository) : undefined;
      const t = await createToken(me, {
        registry: s(args.registry),
        name: s(args.name),
        scopeMap: args["scope-map"] === undefined ? undefined : s(args["scope-map"]),
        repositories,
        enabled: args.status !== "disabled",
        generatePasswords: args["no-passwords"] !== true,
      });
      if (t.passwords.length) process.stderr.write("Save the passwords now: they are shown only this once.\n");
      return t;
    },
  }),
  list: cmd({
    summary: "List tokens.",
    options: [registryOpt],
    examples: [{ title: "List tokens.", command: "wharf token list -r myregistry -o table" }],
    table: TOKEN_TABLE,
    run: async ({ args }) => listTokens(me, s(args.registry)),
  }),
  show: cmd({
    summary: "Show a token (never its passwords).",
    options: [nameReq("The token name."), registryOpt],
    examples: [{ title: "Show a token's status.", command: "wharf token show -n readonlypull -r myregistry --query status" }],
    run: async ({ args }) => showToken(me, s(args.registry), s(args.name)),
  }),
  update: cmd({
    summary: "Enable or disable a token, or bind it to another scope map.",
    options: [nameReq("The token name."), registryOpt, { name: "status", choices: ["enabled", "disabled"], help: "Disabled tokens cannot log in; their new tokens stop at once." }, { name: "scope-map", help: "Another scope map." }],
    examples: [{ title: "Disable a token.", command: "wharf token update -n readonlypull -r myregistry --status disabled" }],
    run: async ({ args }) =>
      updateToken(me, {
        registry: s(args.registry),
        name: s(args.name),
        status: args.status === undefined ? undefined : s(args.status),
        scopeMap: args["scope-map"] === undefined ? undefined : s(args["scope-map"]),
      }),
  }),
  delete: cmd({
    summary: "Delete a token.",
    options: [nameReq("The token name."), registryOpt, yesOpt],
    examples: [{ title: "Delete a token.", command: "wharf token delete -n readonlypull -r myregistry --yes" }],
    run: async ({ args }) => {
      requireYes(args, `token '${s(args.name)}'`, `wharf token delete -n ${s(args.name)} -r ${s(args.registry)}`);
      return deleteToken(me, { registry: s(args.registry), name: s(args.name) });
    },
  }),
  credential: group("Manage a token's passwords.", {
    generate: cmd({
      summary: "Generate password1 or password2 (printed once); the other keeps working.",
      options: [
        nameReq("The token name."),
        registryOpt,
        { name: "password1", flag: true, help: "Regenerate password 1." },
        { name: "password2", flag: true, help: "Regenerate password 2." },
        { name: "expiration", help: "When the password stops working, ISO 8601 (e.g. 2027-01-31T00:00:00Z)." },
        { name: "expiration-in-days", help: "Days until the password stops working." },
      ],
      examples: [{ title: "Rotate password 1, valid 30 days.", command: "wharf token credential generate -n readonlypull -r myregistry --password1 --expiration-in-days 30" }],
      run: async ({ args }) => {
        if ((args.password1 === true) === (args.password2 === true)) throw new UsageError("Give exactly one of --password1 or --password2.");
        const out = await generateTokenPassword(me, {
          registry: s(args.registry),
          name: s(args.name),
          password: args.password1 === true ? 1 : 2,
          expiry: expiryOf(args),
        });
        process.stderr.write("Save the password now: it is shown only this once.\n");
        return out;
      },
    }),
  }),
});

const scopeOpt: OptionSpec = {
  name: "scope",
  default: "/",
  help: 'Where the role applies: "/", "/resourceGroups/<group>", "/registries/<registry>" or "/registries/<registry>/repositories/<repository>".',
};
const assigneeOpt: OptionSpec = { name: "assignee", help: "A username, or a service principal's client id or name." };
const roleOpt: OptionSpec = { name: "role", choices: ROLES, help: "The role." };

export const role = group("Manage role assignments.", {
  assignment: group("Manage role assignments.", {
    create: cmd({
      summary: "Give a user or service principal a role at a scope (Owner only).",
      options: [{ ...assigneeOpt, required: true }, { ...roleOpt, required: true }, scopeOpt],
      examples: [
        { title: "Let a CI identity push to one registry.", command: "wharf role assignment create --assignee <client-id> --role AcrPush --scope /registries/myregistry" },
        { title: "Let a user pull one repository.", command: "wharf role assignment create --assignee alice --role AcrPull --scope /registries/myregistry/repositories/hello" },
      ],
      run: async ({ args }) => createRoleAssignment(me, { assignee: s(args.assignee), role: s(args.role), scope: s(args.scope) }),
    }),
    list: cmd({
      summary: "List role assignments at and below a scope.",
      options: [{ ...scopeOpt, default: "/" }, assigneeOpt],
      examples: [{ title: "Everything on one registry.", command: "wharf role assignment list --scope /registries/myregistry -o table" }],
      table: [
        { header: "ASSIGNEE", field: "assignee" },
        { header: "TYPE", field: "principalType" },
        { header: "ROLE", field: "role" },
        { header: "SCOPE", field: "scope" },
      ],
      run: async ({ args }) => listRoleAssignments(me, { scope: s(args.scope), assignee: args.assignee === undefined ? undefined : s(args.assignee) }),
    }),
    delete: cmd({
      summary: "Remove a role assignment.",
      options: [{ ...assigneeOpt, required: true }, { ...roleOpt, required: true }, scopeOpt],
      examples: [{ title: "Remove a pull grant.", command: "wharf role assignment delete --assignee alice --role AcrPull --scope /registries/myregistry" }],
      run: async ({ args }) => deleteRoleAssignment(me, { assignee: s(args.assignee), role: s(args.role), scope: s(args.scope) }),
    }),
  }),
});

export const sp = group("Manage service principals: machine identities that log in with client id and secret.", {
  create: cmd({
    summary: "Create a service principal; its secret is printed once.",
    options: [nameReq("A display name, e.g. ci-pipeline.")],
    examples: [{ title: "Create one for CI.", command: "wharf sp create --name ci-pipeline" }],
    run: async ({ args }) => {
      const out = await createServicePrincipal(me, { displayName: s(args.name) });
      process.stderr.write(`Save the secret now: it is shown only this once. Log in with: docker login -u ${out.clientId} <login server>\n`);
      return out;
    },
  }),
  list: cmd({
    summary: "List service principals.",
    options: [],
    examples: [{ title: "List them.", command: "wharf sp list -o table" }],
    table: [
      { header: "NAME", field: "displayName" },
      { header: "CLIENT ID", field: "clientId" },
      { header: "DISABLED", field: "disabled" },
    ],
    run: async () => listServicePrincipals(me),
  }),
  delete: cmd({
    summary: "Delete a service principal and its role assignments.",
    options: [{ name: "id", required: true, help: "Client id or name." }, yesOpt],
    examples: [{ title: "Delete one.", command: "wharf sp delete --id ci-pipeline --yes" }],
    run: async ({ args }) => {
      requireYes(args, `service principal '${s(args.id)}'`, `wharf sp delete --id ${s(args.id)}`);
      return deleteServicePrincipal(me, s(args.id));
    },
  }),
  credential: group("Manage a service principal's secret.", {
    reset: cmd({
      summary: "Replace the secret (printed once).",
      options: [{ name: "id", required: true, help: "Client id or name." }],
      examples: [{ title: "Rotate a secret.", command: "wharf sp credential reset --id ci-pipeline" }],
      run: async ({ args }) => resetServicePrincipalSecret(me, s(args.id)),
    }),
  }),
});

export const user = group("Manage portal users (people).", {
  create: cmd({
    summary: "Create a user; without --password one is generated and printed once.",
    options: [nameReq("The username: 2–64 lower-case letters, digits, '.', '_' or '-'."), { name: "password", help: "At least 8 characters." }],
    examples: [{ title: "Create a user.", command: "wharf user create --name alice" }],
    run: async ({ args }) => {
      const password = args.password === undefined ? randomSecret(12) : s(args.password);
      const u = await createUser(s(args.name), password).catch((err: Error) => {
        throw new UsageError(/Unique constraint|P2002/.test(String((err as { code?: string }).code ?? err.message)) ? `User '${s(args.name)}' already exists.` : err.message);
      });
      return args.password === undefined ? { ...u, password } : u;
    },
  }),
  list: cmd({
    summary: "List users.",
    options: [],
    examples: [{ title: "List users.", command: "wharf user list -o table" }],
    table: [
      { header: "USERNAME", field: "username" },
      { header: "DISABLED", field: "disabled" },
      { header: "CREATED", field: "createdAt" },
    ],
    run: async () => listUsers(),
  }),
});

export const resourceGroup = group("Manage resource groups (folders of registries; roles assigned on one reach its registries).", {
  create: cmd({
    summary: "Create a resource group.",
    options: [nameReq("1–90 letters, digits, '.', '_', '-', '(' or ')'."), { name: "location", short: "l", default: "local", help: "A location label." }],
    examples: [{ title: "Create one.", command: "wharf group create --name platform" }],
    run: async ({ args }) => createResourceGroup(me, { name: s(args.name), location: s(args.location) }),
  }),
  list: cmd({
    summary: "List resource groups.",
    options: [],
    examples: [{ title: "List them.", command: "wharf group list -o table" }],
    run: async () => listResourceGroups(me),
  }),
});

export { networkRule };

/** `--image repo:tag`, `repo@sha256:…` or just `repo`, as `az acr repository show|update --image|--repository`. */
function lockTarget(args: Record<string, ArgValue>) {
  const registry = s(args.name);
  if ((args.image === undefined) === (args.repository === undefined)) {
    throw new UsageError("Give --repository REPO (the repository's own locks) or --image REPO:TAG / REPO@DIGEST (a tag's or a manifest's).");
  }
  if (args.repository !== undefined) return { registry, repository: s(args.repository) };
  const image = s(args.image);
  const at = image.indexOf("@");
  if (at > 0) return { registry, repository: image.slice(0, at), digest: image.slice(at + 1) };
  const colon = image.lastIndexOf(":");
  if (colon > 0 && !image.slice(colon).includes("/")) return { registry, repository: image.slice(0, colon), tag: image.slice(colon + 1) };
  throw new UsageError(`--image '${image}' needs a tag or digest, e.g. hello:v1 or hello@sha256:…; for the repository itself use --repository.`);
}

const lockTargetOptions: OptionSpec[] = [
  { name: "name", short: "n", required: true, help: "The name of the registry." },
  { name: "repository", help: "A repository (its own locks)." },
  { name: "image", help: "REPO:TAG for a tag's locks, REPO@DIGEST for a manifest's." },
];

export const repositoryShow = cmd({
  summary: "Show the locks (changeable attributes) of a repository, tag or manifest.",
  options: lockTargetOptions,
  examples: [
    { title: "A tag's locks.", command: "wharf repository show -n myregistry --image hello:v1" },
    { title: "A repository's locks.", command: "wharf repository show -n myregistry --repository hello" },
  ],
  run: async ({ args }) => {
    const { getLocks } = lockService;
    return getLocks(me, lockTarget(args));
  },
});

export const repositoryUpdate = cmd({
  summary: "Lock or unlock a repository, tag or manifest: write, delete, read, list.",
  options: [
    ...lockTargetOptions,
    { name: "write-enabled", help: "true or false: may it be overwritten (tags moved, manifests pushed)?" },
    { name: "delete-enabled", help: "true or false: may it be deleted?" },
    { name: "read-enabled", help: "true or false: may it be pulled?" },
    { name: "list-enabled", help: "true or false: does it show in tags/list and _catalog?" },
  ],
  examples: [
    { title: "Lock a release tag against overwrite and delete.", command: "wharf repository update -n myregistry --image hello:v1 --write-enabled false --delete-enabled false" },
    { title: "Unlock it.", command: "wharf repository update -n myregistry --image hello:v1 --write-enabled true --delete-enabled true" },
  ],
  run: async ({ args }) => {
    const change: Record<string, boolean> = {};
    for (const [flag, field] of [["write-enabled", "writeEnabled"], ["delete-enabled", "deleteEnabled"], ["read-enabled", "readEnabled"], ["list-enabled", "listEnabled"]] as const) {
      const v = bool(args[flag], flag);
      if (v !== undefined) change[field] = v;
    }
    if (!Object.keys(change).length) throw new UsageError("Nothing to change: give --write-enabled, --delete-enabled, --read-enabled or --list-enabled.");
    const { setLocks } = lockService;
    return setLocks(me, lockTarget(args), change);
  },
});
