import type { GroupSpec } from "../command";
import { credential } from "./credential";
import { gc } from "./gc";
import { group, sp, user } from "./identity";
import { manifest } from "./manifest";
import { registry } from "./registry";
import { repository } from "./repository";
import { role } from "./role";
import { scopeMap } from "./scope-map";
import { token } from "./token";
import { softDelete } from "./config-soft-delete";
// Until the retention verbs join it, the `config` group holds soft delete only.
const config: GroupSpec = { summary: "Manage registry policies: soft delete, retention.", children: { "soft-delete": softDelete } };

/** The command tree. Verbs and argument names follow `az acr` (and `az role`, `az ad sp`, `az group`) so ACR users feel at home. */
export const ROOT: GroupSpec = {
  summary: "Manage Wharf registries and their content from the command line.",
  children: { registry, repository, manifest, credential, "scope-map": scopeMap, token, role, user, sp, group, gc, config },
};
