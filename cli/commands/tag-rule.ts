import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { createTagRule, deleteTagRule, listTagRules } from "../../lib/services/tag-rules";
import { optionalText, registryOption, text } from "../args";
import type { CommandSpec, GroupSpec } from "../command";

/** `wharf tag-rule …`: write-once tag rules (a matching tag may be pushed once, never moved or deleted). */

const TABLE = [
  { header: "ID", field: "id" },
  { header: "REPOSITORY PATTERN", field: "repositoryPattern" },
  { header: "TAG PATTERN", field: "tagPattern" },
  { header: "CREATED BY", field: "createdBy" },
  { header: "CREATED", field: "createdAt" },
];

const create: CommandSpec = {
  summary: "Make tags matching a pattern write-once: pushed once, then never moved or deleted.",
  options: [
    registryOption,
    { flags: "--tag-pattern <glob>", required: true, help: "Tags the rule covers: '*' any characters, '?' one, e.g. 'v*' or 'release-?.*'." },
    { flags: "--repository-pattern <glob>", default: "**", help: "Repositories the rule covers: '*' within one path segment, '**' across segments. Default: every repository." },
  ],
  examples: [
    { title: "Version tags may never be moved or deleted.", command: "wharf tag-rule create --registry myregistry --tag-pattern 'v*'" },
    { title: "Only in the team's repositories.", command: "wharf tag-rule create -r myregistry --tag-pattern 'v*' --repository-pattern 'team/**'" },
  ],
  table: TABLE,
  run: async (args) => createTagRule(me, { registry: text(args.registry), tagPattern: text(args.tagPattern), repositoryPattern: optionalText(args.repositoryPattern) }),
};

const list: CommandSpec = {
  summary: "List the write-once tag rules of a registry.",
  options: [registryOption],
  examples: [{ title: "List the rules.", command: "wharf tag-rule list --registry myregistry -o table" }],
  table: TABLE,
  run: async (args) => listTagRules(me, { registry: text(args.registry) }),
};

const remove: CommandSpec = {
  summary: "Remove a write-once tag rule; the tags it covered can be moved and deleted again.",
  options: [registryOption, { flags: "--id <id>", required: true, help: "The rule's id (see `wharf tag-rule list`)." }],
  examples: [{ title: "Remove a rule.", command: "wharf tag-rule delete --registry myregistry --id 2f0c…" }],
  run: async (args) => deleteTagRule(me, { registry: text(args.registry), id: text(args.id) }),
};

export const tagRule: GroupSpec = {
  summary: "Manage write-once tag rules.",
  children: { create, list, delete: remove },
};
