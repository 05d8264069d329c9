import type { GroupSpec } from "../command";
import { activity } from "./activity";
import { cache } from "./cache";
import { webhook } from "./webhook";
import { checkHealth } from "./check-health";
import { config } from "./config";
import { credentialSet } from "./credential-set";
import { credential } from "./credential";
import { demo } from "./demo";
import { gc } from "./gc";
import { importGroup } from "./import";
import { group, sp, user } from "./identity";
import { ad } from "./ad-group";
import { access } from "./access";
import { manifest } from "./manifest";
import { purge } from "./purge";
import { registry } from "./registry";
import { repository } from "./repository";
import { role } from "./role";
import { scopeMap } from "./scope-map";
import { tagRule } from "./tag-rule";
import { token } from "./token";

/** The command tree. Verbs and argument names follow `az acr` (and `az role`, `az ad sp`, `az group`) so ACR users feel at home. */
export const ROOT: GroupSpec = {
  summary: "Manage Wharf registries and their content from the command line.",
  children: { registry, repository, manifest, credential, "scope-map": scopeMap, token, role, user, sp, group, ad, gc, purge, config, "tag-rule": tagRule, import: importGroup, "credential-set": credentialSet, cache, webhook, "check-health": checkHealth, activity, access, demo },
};
