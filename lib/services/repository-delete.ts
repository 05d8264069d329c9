import { invalid } from "../core/errors";
import { isValidTag } from "../core/names";
import { actorName, requireActor, type Actor } from "../auth/actor";
import { deleteRepository as deleteRepositoryRows } from "../registry/manifest-delete";
import { manifestService } from "../registry/manifest-service";
import { forgetResolvedNames } from "../registry/repository-resolver";
import { loadRegistry } from "./load-registry";
import { checkRepositoryName, loadRepository, repoRef } from "./repository-access";

/** Deletes and untags as `az acr repository delete` / `untag` do, with the same checks in the portal and the CLI. */

const repositoryScope = (reg: { name: string; resourceGroupName: string | null }, repository: string) =>
  ({ type: "repository", registry: reg.name, repository, resourceGroup: reg.resourceGroupName }) as const;

/**
 * A whole repository with its tags, manifests and links, after the caller typed its name (the CLI's `--yes` types
 * it for the user). Refused while anything in it is locked or write-once. Garbage collection frees the bytes that
 * no other repository holds.
 */
export async function deleteRepository(actor: Actor, input: { registry: string; repository: string; confirmName: string }) {
  const reg = await loadRegistry(input.registry);
  const name = checkRepositoryName(input.repository);
  await requireActor(actor, "deleteImage", repositoryScope(reg, name));
  if (String(input.confirmName ?? "").trim() !== name) throw invalid(`Type the repository name '${name}' to confirm.`, "confirmName");
  const repo = await loadRepository(reg, name);
  const counts = await deleteRepositoryRows(repoRef(reg, repo), { actor: actorName(actor) });
  // This process's data plane must not resolve the name to the deleted row; other nodes forget within seconds.
  forgetResolvedNames();
  return { registry: reg.name, repository: name, ...counts };
}

/** `az acr repository untag`: removes one tag; the manifest stays (untagged, listed, deletable by digest). */
export async function untagImage(actor: Actor, input: { registry: string; image: string }) {
  const reg = await loadRegistry(input.registry);
  const image = String(input.image ?? "");
  const at = image.lastIndexOf(":");
  if (at <= 0 || image.includes("@")) throw invalid(`'${image}' is not repository:tag. Untag names one tag, e.g. --image hello:v1.`, "image");
  const name = checkRepositoryName(image.slice(0, at));
  const tag = image.slice(at + 1);
  await requireActor(actor, "deleteImage", repositoryScope(reg, name));
  if (!isValidTag(tag)) throw invalid(`'${tag}' is not a valid tag.`, "image");
  const repo = await loadRepository(reg, name);
  await manifestService.delete(repoRef(reg, repo), tag, { actor: actorName(actor) });
  return { registry: reg.name, repository: name, tag, untagged: true };
}
