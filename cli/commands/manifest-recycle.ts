import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { allPages } from "../../lib/services/paging";
import { listDeleted, restore, type DeletedManifest } from "../../lib/services/recycle-bin";
import { optionalText, registryOption, text } from "../args";
import type { Args, CommandSpec, OptionSpec } from "../command";
import { UsageError } from "../errors";

/** `wharf manifest list-deleted|list-deleted-tags|restore`, as `az acr manifest` offers them for soft-deleted artifacts. */

const repositoryOption: OptionSpec = { flags: "-n, --name <repository>", required: true, help: "The repository, e.g. `hello-world` or `team/app` (without the registry prefix)." };

function deleted(m: DeletedManifest) {
  return {
    digest: m.digest,
    tags: m.tags,
    mediaType: m.mediaType,
    artifactType: m.artifactType ?? undefined,
    imageSize: m.bytes,
    createdTime: m.createdTime,
    deletedTime: m.deletedTime,
    expiresTime: m.expiresTime,
    deletedBy: m.deletedBy,
    partOfIndex: m.partOf?.digest,
    platform: m.partOf?.platform ?? undefined,
  };
}

const listAll = (registry: string, repository: string) => allPages((cursor) => listDeleted(me, { registry, repository, cursor, limit: 200 }));

const listDeletedCmd: CommandSpec = {
  summary: "List the soft-deleted manifests of a repository (its recycle bin), newest deletion first.",
  options: [registryOption, repositoryOption],
  examples: [
    { title: "List deleted manifests.", command: "wharf manifest list-deleted -r myregistry -n hello-world" },
    { title: "Digests and the tags they had, as a table.", command: "wharf manifest list-deleted -r myregistry -n hello-world -o table" },
  ],
  table: [
    { header: "DIGEST", field: "digest" },
    { header: "TAGS", field: "tags" },
    { header: "SIZE", field: "imageSize" },
    { header: "DELETED", field: "deletedTime" },
    { header: "EXPIRES", field: "expiresTime" },
    { header: "BY", field: "deletedBy" },
  ],
  run: async (args) => (await listAll(text(args.registry), text(args.name))).map(deleted),
};

const listDeletedTags: CommandSpec = {
  summary: "List the soft-deleted tags of a repository with the manifest each pointed at.",
  options: [registryOption, { ...repositoryOption, flags: "-n, --name <repository[:tag]>", help: "The repository, or REPO:TAG for one tag." }],
  examples: [{ title: "Where did tag v1 point when it was deleted?", command: "wharf manifest list-deleted-tags -r myregistry -n hello-world:v1" }],
  table: [
    { header: "TAG", field: "name" },
    { header: "DIGEST", field: "digest" },
    { header: "DELETED", field: "deletedTime" },
  ],
  run: async (args) => {
    const name = text(args.name);
    const colon = name.lastIndexOf(":");
    const [repository, tag] = colon > 0 && !name.slice(colon).includes("/") ? [name.slice(0, colon), name.slice(colon + 1)] : [name, undefined];
    return (await listAll(text(args.registry), repository)).flatMap((m) =>
      m.tags.filter((t) => tag === undefined || t === tag).map((t) => ({ name: t, digest: m.digest, deletedTime: m.deletedTime, expiresTime: m.expiresTime })),
    );
  },
};

/** `--name REPO:TAG` or `REPO@DIGEST`, and az's optional `--digest` beside a tag. */
function restoreTarget(args: Args): { repository: string; tag?: string; digest?: string } {
  const name = text(args.name);
  const digest = optionalText(args.digest);
  const at = name.indexOf("@");
  if (at > 0) {
    if (digest && digest !== name.slice(at + 1)) throw new UsageError("argument --digest: differs from the digest in --name; give it once.");
    return { repository: name.slice(0, at), digest: name.slice(at + 1) };
  }
  const colon = name.lastIndexOf(":");
  if (colon > 0 && !name.slice(colon).includes("/")) return { repository: name.slice(0, colon), tag: name.slice(colon + 1), digest };
  if (digest) return { repository: name, digest };
  throw new UsageError(`argument --name: '${name}' needs a tag or digest, e.g. hello:v1 or hello@sha256:…`);
}

const restoreCmd: CommandSpec = {
  summary:
    "Restore a soft-deleted manifest with the tags it had (an index with its platform manifests). Refused when one of its tags now points at another manifest, unless --force moves the tag back; a locked or write-once tag is never moved.",
  options: [
    registryOption,
    { flags: "-n, --name <image>", required: true, help: "REPO:TAG (the latest deleted manifest that had the tag) or REPO@DIGEST." },
    { flags: "-d, --digest <digest>", help: "With REPO:TAG: the deleted manifest to restore when several had the tag." },
    { flags: "-f, --force", help: "Move a tag that now points at another manifest back to the restored one." },
  ],
  examples: [
    { title: "Restore what hello-world:v1 pointed at.", command: "wharf manifest restore -r myregistry -n hello-world:v1" },
    { title: "Restore one manifest by digest, moving its tags back.", command: "wharf manifest restore -r myregistry -n hello-world@sha256:… --force" },
  ],
  run: async (args, io) => {
    const target = restoreTarget(args);
    const r = await restore(me, { registry: text(args.registry), ...target, force: args.force === true });
    if (r.movedTags.length) io.note(`Moved ${r.movedTags.map((t) => `'${t}'`).join(", ")} back to the restored manifest.`);
    return { digest: r.digest, tags: r.tags, restored: r.manifests.map((m) => m.digest), movedTags: r.movedTags, imageSize: r.bytes };
  },
};

/** Adds the recycle-bin verbs to the `manifest` group. */
/** The recycle-bin verbs of the `manifest` group. */
export const recycleCommands = { "list-deleted": listDeletedCmd, "list-deleted-tags": listDeletedTags, restore: restoreCmd };
