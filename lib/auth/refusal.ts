import type { RepositoryRef } from "../core/names";
import type { DataAction } from "./authorize";
import type { RepoAction } from "./scope-map-actions";

/** The scope-map action (ACR's token vocabulary) that grants each data-plane action. */
const SCOPE_MAP_ACTION: Record<DataAction, RepoAction> = {
  pull: "content/read",
  push: "content/write",
  delete: "content/delete",
  metadata_read: "metadata/read",
  metadata_write: "metadata/write",
};

const isDataAction = (a: string): a is DataAction => a in SCOPE_MAP_ACTION;

/**
 * Why a valid token was refused on a repository (or the catalog when `ref` is
 * null): the actions the request needs that the token lacks, named as scope-map
 * actions, since the challenge's scope says only "pull"/"push" (what clients know
 * to ask for) and would hide a missing metadata/read behind ":pull".
 */
export function insufficientScopeMessage(ref: RepositoryRef | null, scope: string | null, needed: string[], granted: Set<string>): string {
  const missing = needed.filter((a) => !granted.has(a));
  if (!ref || !missing.length || !missing.every(isDataAction)) {
    return `Your token does not allow ${scope ?? "this"}. Ask for a token with that scope, or ask an owner for access.`;
  }
  const actions = missing.map((a) => SCOPE_MAP_ACTION[a]);
  return (
    `Your token does not allow ${actions.join(" and ")} on '${ref.fullName}'. Add ` +
    `${actions.map((a) => `repositories/${ref.repository}/${a}`).join(" and ")} to the token's scope map ` +
    `(wharf scope-map update -r ${ref.registry} -n <scope-map> --add-repository ${ref.repository} ${actions.join(" ")}), or ask an owner for access.`
  );
}
