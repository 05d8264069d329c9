import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createCacheRule, deleteCacheRule, listCacheRules, showCacheRule, updateCacheRule } from "../../lib/services/cache-rules";
import { optionalText, registryOption, requireYes, text, yesOption } from "../args";
import type { CommandSpec, GroupSpec } from "../command";

/** `wharf cache …` (az acr cache): pull-through cache rules. */

const TABLE = [
  { header: "NAME", field: "name" },
  { header: "SOURCE", field: "sourceRepo" },
  { header: "TARGET", field: "targetRepo" },
  { header: "CRED SET", field: "credentialSet" },
  { header: "TTL", field: "ttlSeconds" },
  { header: "HITS", field: "hits" },
  { header: "MISSES", field: "misses" },
  { header: "UPSTREAM ERRORS", field: "upstreamErrors" },
];

const nameOption = { flags: "-n, --name <name>", required: true, help: "The name of the cache rule (5-50 letters, digits and hyphens)." };
const ttlOption = (dflt?: string) => ({
  flags: "--ttl <seconds>",
  ...(dflt ? { default: dflt } : {}),
  help: "How long a cached tag is served before it is compared with the upstream tag again (digest pulls never are).",
});

const create: CommandSpec = {
  summary: "Create a cache rule: pulls of the target that miss are fetched from the source, stored and served.",
  options: [
    registryOption,
    nameOption,
    { flags: "-s, --source-repo <repo>", required: true, help: "The full upstream path, e.g. docker.io/library/ubuntu, or a prefix such as docker.io/bitnami/*." },
    { flags: "-t, --target-repo <repo>", required: true, help: "The repository here, e.g. ubuntu, or a prefix such as bitnami/* (a wildcard on both sides or neither)." },
    { flags: "-c, --cred-set <name>", help: "A credential set for the upstream (wharf credential-set create); anonymous without one." },
    ttlOption("3600"),
  ],
  examples: [
    { title: "Cache Docker Hub's ubuntu as 'ubuntu'.", command: "wharf cache create -r myregistry -n ubuntu-rule -s docker.io/library/ubuntu -t ubuntu" },
    { title: "A whole namespace, with a login.", command: "wharf cache create -r myregistry -n bitnami-rule -s docker.io/bitnami/* -t bitnami/* -c dockerhub-creds" },
  ],
  table: TABLE,
  run: async (args) =>
    createCacheRule(me, {
      registry: text(args.registry),
      name: text(args.name),
      sourceRepo: text(args.sourceRepo),
      targetRepo: text(args.targetRepo),
      credentialSet: optionalText(args.credSet),
      ttlSeconds: optionalText(args.ttl),
    }),
};

const list: CommandSpec = {
  summary: "List the cache rules of a registry with their counters.",
  options: [registryOption],
  examples: [{ title: "List cache rules.", command: "wharf cache list -r myregistry -o table" }],
  table: TABLE,
  run: async (args) => listCacheRules(me, { registry: text(args.registry) }),
};

const show: CommandSpec = {
  summary: "Show a cache rule: counters, last refresh, last upstream error and the repositories it cached.",
  options: [registryOption, nameOption],
  examples: [{ title: "Show a rule.", command: "wharf cache show -r myregistry -n ubuntu-rule" }],
  run: async (args) => showCacheRule(me, { registry: text(args.registry), name: text(args.name) }),
};

const update: CommandSpec = {
  summary: "Change a cache rule's credential set ('' removes it) or TTL.",
  options: [registryOption, nameOption, { flags: "-c, --cred-set <name>", help: "The credential set to use; '' for anonymous." }, ttlOption()],
  examples: [{ title: "Use a login from now on.", command: "wharf cache update -r myregistry -n ubuntu-rule -c dockerhub-creds" }],
  table: TABLE,
  run: async (args) => updateCacheRule(me, { registry: text(args.registry), name: text(args.name), credentialSet: optionalText(args.credSet), ttlSeconds: optionalText(args.ttl) }),
};

const remove: CommandSpec = {
  summary: "Delete a cache rule; what it cached stays as ordinary repositories.",
  options: [registryOption, nameOption, yesOption],
  examples: [{ title: "Delete a rule.", command: "wharf cache delete -r myregistry -n ubuntu-rule --yes" }],
  run: async (args) => {
    requireYes(args, `cache rule ${text(args.name)}`, `wharf cache delete -r ${text(args.registry)} -n ${text(args.name)}`);
    return deleteCacheRule(me, { registry: text(args.registry), name: text(args.name) });
  },
};

export const cache: GroupSpec = {
  summary: "Manage pull-through cache rules.",
  children: { create, list, show, update, delete: remove },
};
