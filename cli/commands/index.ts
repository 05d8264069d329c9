import type { GroupSpec } from "../command";
import { credential } from "./credential";
import { gc } from "./gc";
import { group, sp, user } from "./identity";
import { registry } from "./registry";
import { repository } from "./repository";
import { role } from "./role";
import { scopeMap } from "./scope-map";
import { token } from "./token";
// TEMPORARY (branch bin): stand-ins for the `manifest` and `config` groups other branches create; replaced at merge.
import { addSoftDeleteCommands } from "./config-soft-delete";
import { deleteManifestCommand } from "./manifest-delete";
import { addRecycleCommands } from "./manifest-recycle";
const manifest: GroupSpec = { summary: "Manage manifests in a repository.", children: { delete: deleteManifestCommand } };
const config: GroupSpec = { summary: "Manage registry policies.", children: {} };
addRecycleCommands(manifest);
addSoftDeleteCommands(config);

/** The command tree. Verbs and argument names follow `az acr` (and `az role`, `az ad sp`, `az group`) so ACR users feel at home. */
export const ROOT: GroupSpec = {
  summary: "Manage Wharf registries and their content from the command line.",
  children: { registry, repository, credential, "scope-map": scopeMap, token, role, user, sp, group, gc, manifest, config },
};
