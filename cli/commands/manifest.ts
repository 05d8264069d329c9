import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { listManifests, type ManifestRow } from "../../lib/services/manifest-list";
import { positiveWhole, registryOption, text } from "../args";
import type { CommandSpec, GroupSpec, OptionSpec } from "../command";
import { deleteManifestCommand } from "./manifest-delete";

/** `wharf manifest …`, as `az acr manifest list-metadata` (more verbs join `manifest` below). */

const repositoryNameOption: OptionSpec = { flags: "-n, --name <repository>", required: true, help: "The repository, e.g. `hello-world` or `team/app` (without the registry prefix)." };

/** One manifest with ACR's keys (`imageSize`, `changeableAttributes`), and Wharf's additions after them. */
function metadata(m: ManifestRow) {
  return {
    digest: m.digest,
    tags: m.tags,
    createdTime: m.createdTime,
    lastUpdateTime: m.lastUpdateTime,
    mediaType: m.mediaType,
    artifactType: m.artifactType ?? undefined,
    imageSize: m.size,
    platforms: m.platforms ?? undefined,
    changeableAttributes: m.locks,
    lastPulledTime: m.lastPulledAt ?? undefined,
    referencedByIndex: m.referencedByIndex,
    subject: m.subjectDigest ?? undefined,
  };
}

const listMetadata: CommandSpec = {
  summary: "List the manifests of a repository, tagged and untagged, with their tags, size, times and locks.",
  options: [
    registryOption,
    repositoryNameOption,
    { flags: "--orderby <order>", choices: ["time_desc", "time_asc"], default: "time_desc", help: "Order by last update time." },
    { flags: "--top <n>", check: positiveWhole("--top"), help: "Show at most this many manifests." },
  ],
  examples: [
    { title: "List the manifests of a repository, newest first.", command: "wharf manifest list-metadata --registry myregistry --name hello-world" },
    { title: "Digests of the untagged manifests, oldest first.", command: "wharf manifest list-metadata -r myregistry -n hello-world --orderby time_asc --query \"[?tags[0]==null].digest\"" },
    { title: "The five newest, as a table.", command: "wharf manifest list-metadata -r myregistry -n hello-world --top 5 -o table" },
  ],
  table: [
    { header: "DIGEST", field: "digest" },
    { header: "TAGS", field: "tags" },
    { header: "SIZE", field: "imageSize" },
    { header: "LAST UPDATE", field: "lastUpdateTime" },
    { header: "LAST PULL", field: "lastPulledTime" },
  ],
  run: async (args) =>
    (
      await listManifests(me, {
        registry: text(args.registry),
        repository: text(args.name),
        orderby: args.orderby === "time_asc" ? "time_asc" : "time_desc",
        top: args.top === undefined ? undefined : Number(args.top),
      })
    ).map(metadata),
};

export const manifest: GroupSpec = {
  summary: "Manage manifests (images, indexes and artifacts, tagged or not) in a repository.",
  children: { "list-metadata": listMetadata, delete: deleteManifestCommand },
};
