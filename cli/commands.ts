import { UsageError, type ArgValue, type CommandSpec, type GroupSpec } from "./args";
import { createRegistry, deleteRegistry, getRegistry, listRegistries, loginServerOf, RegistryError, SKUS } from "../lib/services/registry-queries";
import { collectGarbage } from "../lib/registry/gc";
import { listRepositories, listTags, RepositoryError } from "../lib/services/repositories";
import { credential, networkRule, registryUpdate, repositoryShow, repositoryUpdate, resourceGroup, role, scopeMap, sp, token, user } from "./access-commands";

/** The command tree. Verbs and argument names follow `az acr` so ACR users feel at home. */

const LIST_HINT = "List registries with `wharf registry list`.";

type RegistryRow = NonNullable<Awaited<ReturnType<typeof getRegistry>>>;

/** The registry as `az acr show` prints it (camelCase, sku as {name, tier}). */
function registryView(r: RegistryRow) {
  const { loginServer, repositoryPrefix } = loginServerOf(r.name);
  return {
    id: r.id,
    name: r.name,
    loginServer,
    repositoryPrefix,
    sku: { name: r.sku, tier: r.sku },
    location: r.location,
    anonymousPullEnabled: r.anonymousPullEnabled,
    adminUserEnabled: r.adminUserEnabled,
    creationDate: r.createdAt,
    lastUpdateDate: r.updatedAt,
  };
}

function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) [n, i] = [n / 1024, i + 1];
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

function str(v: ArgValue): string {
  return typeof v === "string" ? v : "";
}

/** Domain errors become messages that say what to run next. */
function explain(err: unknown, registry: string, repository?: string): never {
  if (err instanceof RegistryError) {
    switch (err.code) {
      case "NOT_FOUND":
        throw new UsageError(`Registry '${registry.trim().toLowerCase()}' not found. ${LIST_HINT}`);
      case "NAME_INVALID":
        throw new UsageError(`Invalid registry name '${registry}': ${err.message}`);
      case "NAME_TAKEN":
        throw new UsageError(`${err.message} Choose another name, or see the existing one with \`wharf registry show --name ${registry.trim().toLowerCase()}\`.`);
      default:
        throw new UsageError(err.message);
    }
  }
  if (err instanceof RepositoryError) {
    throw new UsageError(
      `Repository '${repository}' not found in registry '${registry.trim().toLowerCase()}'. List its repositories with \`wharf repository list --name ${registry.trim().toLowerCase()}\`.`,
    );
  }
  throw err;
}

async function mustGetRegistry(name: string): Promise<RegistryRow> {
  const r = await getRegistry(name);
  if (!r) throw new UsageError(`Registry '${name.trim().toLowerCase()}' not found. ${LIST_HINT}`);
  return r;
}

const nameOption = { name: "name", short: "n", required: true, help: "The name of the registry." };

const REGISTRY_TABLE = [
  { header: "NAME", field: "name" },
  { header: "SKU", field: "sku.name" },
  { header: "LOGIN SERVER", field: "loginServer" },
  { header: "LOCATION", field: "location" },
  { header: "CREATION DATE", field: "creationDate" },
  { header: "ADMIN ENABLED", field: "adminUserEnabled" },
  { header: "ANONYMOUS PULL", field: "anonymousPullEnabled" },
];

const create: CommandSpec = {
  kind: "command",
  summary: "Create a registry.",
  options: [
    { ...nameOption, help: "The name of the registry: 5–50 letters and digits, unique in this Wharf (stored lower case)." },
    { name: "sku", choices: SKUS, default: "Standard", help: "The SKU (service tier) of the registry." },
    { name: "location", short: "l", default: "local", help: "Where the registry is hosted; a label for your own bookkeeping." },
  ],
  examples: [
    { title: "Create a registry with the Standard SKU.", command: "wharf registry create --name myregistry" },
    { title: "Create a Premium registry in a named location.", command: "wharf registry create -n myregistry --sku Premium -l westeurope" },
  ],
  table: REGISTRY_TABLE,
  run: async ({ args }) => {
    const name = str(args.name);
    try {
      return registryView(await createRegistry({ name, sku: str(args.sku), location: str(args.location) }));
    } catch (err) {
      explain(err, name);
    }
  },
};

const list: CommandSpec = {
  kind: "command",
  summary: "List registries.",
  options: [],
  examples: [
    { title: "List registries as JSON.", command: "wharf registry list" },
    { title: "List registries as a table.", command: "wharf registry list --output table" },
    { title: "List only the names.", command: "wharf registry list --query [].name --output tsv" },
  ],
  table: REGISTRY_TABLE,
  run: async () => (await listRegistries()).map(registryView),
};

const show: CommandSpec = {
  kind: "command",
  summary: "Get the details of a registry.",
  options: [nameOption],
  examples: [
    { title: "Get the login server of a registry.", command: "wharf registry show --name myregistry --query loginServer" },
    { title: "Check whether anonymous pull is enabled.", command: "wharf registry show -n myregistry --query anonymousPullEnabled" },
  ],
  table: REGISTRY_TABLE,
  run: async ({ args }) => registryView(await mustGetRegistry(str(args.name))),
};

const remove: CommandSpec = {
  kind: "command",
  summary: "Delete a registry with all its repositories, tags and manifests.",
  options: [nameOption, { name: "yes", short: "y", flag: true, help: "Confirm the deletion (it cannot be undone)." }],
  examples: [{ title: "Delete a registry.", command: "wharf registry delete --name myregistry --yes" }],
  run: async ({ args }) => {
    const name = str(args.name);
    const registry = await mustGetRegistry(name);
    if (args.yes !== true) {
      throw new UsageError(
        `Deleting registry '${registry.name}' removes all its repositories and images and cannot be undone. ` +
          `To confirm, run \`wharf registry delete --name ${registry.name} --yes\`.`,
      );
    }
    let deleted;
    try {
      deleted = await deleteRegistry(registry.name);
    } catch (err) {
      explain(err, name);
    }
    // Blobs are stored once per deployment; those only this registry linked are now
    // garbage. Reclaim them at once rather than waiting for a scheduled pass.
    const gc = await collectGarbage();
    const n = deleted.repositoryCount;
    process.stderr.write(
      `Deleted registry '${deleted.name}' and its ${n} ${n === 1 ? "repository" : "repositories"}; ` +
        `freed ${gc.blobsDeleted} ${gc.blobsDeleted === 1 ? "blob" : "blobs"} (${formatBytes(gc.bytesFreed)}).\n`,
    );
    return undefined; // Like `az acr delete`: nothing on stdout.
  },
};

const repositoryList: CommandSpec = {
  kind: "command",
  summary: "List repositories in a registry, with their tag and manifest counts.",
  options: [nameOption],
  examples: [
    { title: "List repositories.", command: "wharf repository list --name myregistry --output table" },
    { title: "List only repository names.", command: "wharf repository list -n myregistry --query [].name" },
  ],
  table: [
    { header: "NAME", field: "name" },
    { header: "TAGS", field: "tagCount" },
    { header: "MANIFESTS", field: "manifestCount" },
    { header: "LAST UPDATE", field: "lastUpdateTime" },
  ],
  run: async ({ args }) => {
    const name = str(args.name);
    try {
      return await listRepositories(name);
    } catch (err) {
      explain(err, name);
    }
  },
};

const showTags: CommandSpec = {
  kind: "command",
  summary: "Show tags of a repository, newest first.",
  options: [
    nameOption,
    { name: "repository", required: true, help: "The repository, e.g. `hello-world` or `team/app` (without the registry prefix)." },
    { name: "detail", flag: true, help: "Show digest, size and times of each tag instead of names only." },
    { name: "orderby", choices: ["time_desc", "time_asc"], default: "time_desc", help: "Order by last update time." },
    { name: "top", help: "Show at most this many tags." },
  ],
  examples: [
    { title: "Show the tags of a repository.", command: "wharf repository show-tags --name myregistry --repository hello-world" },
    { title: "Show the five newest tags with their digests.", command: "wharf repository show-tags -n myregistry --repository hello-world --top 5 --detail -o table" },
  ],
  run: async ({ args }) => {
    const name = str(args.name);
    const repository = str(args.repository);
    let top: number | undefined;
    if (args.top !== undefined) {
      top = Number(args.top);
      if (!Number.isInteger(top) || top < 1) throw new UsageError(`Argument --top must be a positive whole number (got '${args.top}').`);
    }
    let tags;
    try {
      tags = await listTags(name, repository);
    } catch (err) {
      explain(err, name, repository);
    }
    if (args.orderby === "time_asc") tags.reverse();
    if (top !== undefined) tags = tags.slice(0, top);
    return args.detail === true ? tags : tags.map((t) => t.name);
  },
};

export const ROOT: GroupSpec = {
  kind: "group",
  summary: "Manage Wharf registries and their content from the command line.",
  children: {
    registry: {
      kind: "group",
      summary: "Manage registries.",
      children: { create, list, show, update: registryUpdate, delete: remove, "network-rule": networkRule },
    },
    credential,
    "scope-map": scopeMap,
    token,
    role,
    sp,
    user,
    group: resourceGroup,
    repository: {
      kind: "group",
      summary: "Manage repositories (image names) in a registry.",
      children: { list: repositoryList, "show-tags": showTags, show: repositoryShow, update: repositoryUpdate },
    },
  },
};
