import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { getRepository, listRepositories } from "../../lib/services/repositories";
import { listTags } from "../../lib/services/tags";
import { getLocks, setLocks, type LockFlags, type LockTarget } from "../../lib/services/locks";
import { positiveWhole, registryNameOption, text } from "../args";
import { UsageError } from "../errors";
import type { Args, CommandSpec, GroupSpec, OptionSpec } from "../command";
import { deleteRepositoryCommand, untagCommand } from "./repository-delete";

/** `wharf repository …`, as `az acr repository list|show-tags|show|update`. */

const list: CommandSpec = {
  summary: "List repositories in a registry, with their tag and manifest counts.",
  options: [registryNameOption],
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
  run: async (args) =>
    (await listRepositories(me, { registry: text(args.name) })).map((r) => ({
      name: r.name,
      tagCount: r.tagCount,
      manifestCount: r.manifestCount,
      createdTime: r.createdTime,
      lastUpdateTime: r.lastUpdateTime,
    })),
};

const showTags: CommandSpec = {
  summary: "Show tags of a repository, newest first.",
  options: [
    registryNameOption,
    { flags: "--repository <repository>", required: true, help: "The repository, e.g. `hello-world` or `team/app` (without the registry prefix)." },
    { flags: "--detail", help: "Show digest, size and times of each tag instead of names only." },
    { flags: "--orderby <order>", choices: ["time_desc", "time_asc"], default: "time_desc", help: "Order by last update time." },
    { flags: "--top <n>", check: positiveWhole("--top"), help: "Show at most this many tags." },
  ],
  examples: [
    { title: "Show the tags of a repository.", command: "wharf repository show-tags --name myregistry --repository hello-world" },
    { title: "Show the five newest tags with their digests.", command: "wharf repository show-tags -n myregistry --repository hello-world --top 5 --detail -o table" },
  ],
  run: async (args) => {
    const tags = await listTags(me, {
      registry: text(args.name),
      repository: text(args.repository),
      sort: "updated",
      direction: args.orderby === "time_asc" ? "asc" : "desc",
      top: args.top === undefined ? undefined : Number(args.top),
      platforms: false, // not printed: no image config read per tag
    });
    if (args.detail !== true) return tags.map((t) => t.name);
    return tags.map((t) => ({ name: t.name, digest: t.digest, mediaType: t.mediaType, size: t.size, createdTime: t.createdTime, lastUpdateTime: t.lastUpdateTime }));
  },
};

/** `--image repo:tag`, `repo@sha256:…` or `--repository repo`, as `az acr repository show|update`. */
function lockTarget(args: Args): LockTarget {
  const registry = text(args.name);
  if ((args.image === undefined) === (args.repository === undefined)) {
    throw new UsageError("Give --repository REPO (the repository's own locks) or --image REPO:TAG / REPO@DIGEST (a tag's or a manifest's).");
  }
  if (args.repository !== undefined) return { registry, repository: text(args.repository) };
  const image = text(args.image);
  const at = image.indexOf("@");
  if (at > 0) return { registry, repository: image.slice(0, at), digest: image.slice(at + 1) };
  const colon = image.lastIndexOf(":");
  if (colon > 0 && !image.slice(colon).includes("/")) return { registry, repository: image.slice(0, colon), tag: image.slice(colon + 1) };
  throw new UsageError(`argument --image: '${image}' needs a tag or digest, e.g. hello:v1 or hello@sha256:…; for the repository itself use --repository.`);
}

const lockTargetOptions: OptionSpec[] = [
  registryNameOption,
  { flags: "--repository <repository>", help: "A repository (its own locks)." },
  { flags: "--image <image>", help: "REPO:TAG for a tag's locks, REPO@DIGEST for a manifest's." },
];

/** A repository's attributes as `az acr repository show --repository` prints them, with what it stores. */
async function showRepository(args: Args) {
  const r = await getRepository(me, { registry: text(args.name), repository: text(args.repository) });
  return {
    registry: r.registry,
    name: r.name,
    imageName: r.name,
    createdTime: r.createdTime,
    lastUpdateTime: r.lastUpdateTime,
    manifestCount: r.manifestCount,
    tagCount: r.tagCount,
    changeableAttributes: r.locks,
    storage: { bytes: r.storage.bytes, sharedBytes: r.storage.sharedBytes, exclusiveBytes: r.storage.exclusiveBytes },
  };
}

const show: CommandSpec = {
  summary: "Show a repository's attributes and storage (--repository), or the locks of a tag or manifest (--image).",
  options: lockTargetOptions,
  examples: [
    { title: "A repository: counts, times, locks, and its bytes (shared with other repositories, and only here).", command: "wharf repository show -n myregistry --repository hello" },
    { title: "What deleting the repository would free.", command: "wharf repository show -n myregistry --repository hello --query storage.exclusiveBytes" },
    { title: "A tag's locks.", command: "wharf repository show -n myregistry --image hello:v1" },
  ],
  run: async (args) => (args.repository !== undefined && args.image === undefined ? showRepository(args) : getLocks(me, lockTarget(args))),
};

const LOCK_FLAGS = [
  ["writeEnabled", "write-enabled", "may it be overwritten (tags moved, manifests pushed)?"],
  ["deleteEnabled", "delete-enabled", "may it be deleted?"],
  ["readEnabled", "read-enabled", "may it be pulled?"],
  ["listEnabled", "list-enabled", "does it show in tags/list and _catalog?"],
] as const;

const update: CommandSpec = {
  summary: "Lock or unlock a repository, tag or manifest: write, delete, read, list.",
  options: [...lockTargetOptions, ...LOCK_FLAGS.map(([, flag, help]): OptionSpec => ({ flags: `--${flag} <bool>`, bool: true, help }))],
  examples: [
    { title: "Lock a release tag against overwrite and delete.", command: "wharf repository update -n myregistry --image hello:v1 --write-enabled false --delete-enabled false" },
    { title: "Unlock it.", command: "wharf repository update -n myregistry --image hello:v1 --write-enabled true --delete-enabled true" },
  ],
  run: async (args) => {
    const change: Partial<LockFlags> = {};
    for (const [field] of LOCK_FLAGS) if (typeof args[field] === "boolean") change[field] = args[field];
    if (!Object.keys(change).length) {
      throw new UsageError("Nothing to change: give --write-enabled, --delete-enabled, --read-enabled or --list-enabled. See `wharf repository update --help`.");
    }
    return setLocks(me, lockTarget(args), change);
  },
};

export const repository: GroupSpec = {
  summary: "Manage repositories (image names) in a registry.",
  children: { list, "show-tags": showTags, show, update, delete: deleteRepositoryCommand, untag: untagCommand },
};
