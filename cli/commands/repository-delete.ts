import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { deleteRepository, untagImage } from "../../lib/services/repository-delete";
import { registryNameOption, requireYes, text, yesOption } from "../args";
import type { CommandSpec } from "../command";

/** `wharf repository delete|untag`, as `az acr repository delete|untag`. */

export const deleteRepositoryCommand: CommandSpec = {
  summary: "Delete a repository with all its tags and manifests. Space that only it held comes back at the next garbage collection.",
  options: [
    registryNameOption,
    { flags: "--repository <repository>", required: true, help: "The repository to delete, e.g. `hello-world` or `team/app`." },
    { ...yesOption, help: "Confirm the deletion (it cannot be undone, and skips the recycle bin)." },
  ],
  examples: [{ title: "Delete a repository.", command: "wharf repository delete --name myregistry --repository hello-world --yes" }],
  run: async (args, { note }) => {
    const registry = text(args.name);
    const repository = text(args.repository);
    requireYes(args, `repository '${repository}' removes all its tags and manifests and`, `wharf repository delete --name ${registry} --repository ${repository}`);
    const out = await deleteRepository(me, { registry, repository, confirmName: repository });
    note(`Deleted repository '${out.repository}': ${out.manifests} manifests, ${out.tags} tags. Run \`wharf gc run --registry ${out.registry}\` to free the space now.`);
    return undefined;
  },
};

export const untagCommand: CommandSpec = {
  summary: "Remove a tag. The manifest stays (untagged): list it with `wharf manifest list-metadata`, delete it by digest.",
  options: [registryNameOption, { flags: "--image <image>", required: true, help: "The tag to remove, as REPO:TAG, e.g. hello-world:v1." }],
  examples: [{ title: "Untag an image.", command: "wharf repository untag --name myregistry --image hello-world:v1" }],
  run: async (args) => {
    await untagImage(me, { registry: text(args.name), image: text(args.image) });
    return undefined;
  },
};
