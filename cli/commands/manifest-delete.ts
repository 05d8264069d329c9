import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { isDigest } from "../../lib/core/digest";
import { deleteManifest, getManifestDetail } from "../../lib/services/manifests";
import { registryOption, requireYes, text, yesOption } from "../args";
import type { CommandSpec } from "../command";
import { UsageError } from "../errors";

/** `wharf manifest delete`, as `az acr manifest delete --registry R --name REPO@DIGEST | REPO:TAG`. */
export const deleteManifestCommand: CommandSpec = {
  summary: "Delete a manifest with its tags (and the untagged platform manifests of an index, and its untagged referrers).",
  options: [
    registryOption,
    { flags: "--name <image>", required: true, help: "REPO@sha256:… or REPO:TAG (deletes the manifest the tag points at, with all its tags)." },
    { ...yesOption, help: "Do not prompt for confirmation." },
  ],
  examples: [
    { title: "Delete a manifest by digest.", command: "wharf manifest delete --registry myregistry --name hello@sha256:abc… --yes" },
    { title: "Delete the manifest a tag points at.", command: "wharf manifest delete -r myregistry -n hello:v1 --yes" },
  ],
  run: async (args, { note }) => {
    const registry = text(args.registry);
    const image = text(args.name);
    const at = image.indexOf("@");
    const colon = image.lastIndexOf(":");
    let repository: string;
    let digest: string;
    if (at > 0) {
      repository = image.slice(0, at);
      digest = image.slice(at + 1);
      if (!isDigest(digest)) throw new UsageError(`argument --name: '${digest}' is not a digest (sha256:<64 hex digits>).`);
    } else if (colon > 0 && !image.slice(colon).includes("/")) {
      repository = image.slice(0, colon);
      digest = (await getManifestDetail(me, { registry, repository, reference: image.slice(colon + 1) })).digest;
    } else {
      throw new UsageError(`argument --name: '${image}' needs a digest or tag, e.g. hello@sha256:… or hello:v1.`);
    }
    requireYes(args, `manifest ${repository}@${digest} removes it with all its tags and`, `wharf manifest delete --registry ${registry} --name ${image}`);
    const out = await deleteManifest(me, { registry, repository, digest });
    const recycled = out.manifests.some((m) => m.recycled);
    note(`Deleted ${out.manifests.length} manifest(s)${recycled ? " into the recycle bin (restore with `wharf manifest restore`)" : ""}.`);
    return undefined;
  },
};
