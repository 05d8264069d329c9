import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { showRetention, updateRetention } from "../../lib/services/retention";
import { optionalText, registryOption, text } from "../args";
import { softDelete } from "./config-soft-delete";
import type { CommandSpec, GroupSpec } from "../command";

/**
 * `wharf config …`, as `az acr config`: registry policies. Each policy is a sub-group of its own; a new one is one
 * entry in `config.children` (and its import).
 */

const retentionShow: CommandSpec = {
  summary: "Show the retention policy for untagged manifests.",
  options: [registryOption],
  examples: [{ title: "Show the retention policy of a registry.", command: "wharf config retention show --registry myregistry" }],
  run: async (args) => showRetention(me, { registry: text(args.registry) }),
};

const retentionUpdate: CommandSpec = {
  summary: "Enable or disable deleting untagged manifests after a number of days (applied by garbage collection).",
  options: [
    registryOption,
    { flags: "--status <status>", required: true, choices: ["enabled", "disabled"], help: "Whether untagged manifests are deleted after --days." },
    { flags: "--days <days>", help: "Days to keep an untagged manifest, 0–365 (0: at the next garbage collection). Default: unchanged (7 at first)." },
    { flags: "--type <type>", choices: ["UntaggedManifests"], default: "UntaggedManifests", help: "The policy type; UntaggedManifests is the only one." },
  ],
  examples: [
    { title: "Delete untagged manifests after 7 days.", command: "wharf config retention update --registry myregistry --status enabled --days 7 --type UntaggedManifests" },
    { title: "Turn retention off.", command: "wharf config retention update -r myregistry --status disabled --type UntaggedManifests" },
  ],
  run: async (args) => updateRetention(me, { registry: text(args.registry), status: text(args.status), days: optionalText(args.days), type: optionalText(args.type) }),
};

export const retention: GroupSpec = {
  summary: "Manage the retention policy for untagged manifests.",
  children: { show: retentionShow, update: retentionUpdate },
};

export const config: GroupSpec = {
  summary: "Configure registry policies.",
  children: { retention, "soft-delete": softDelete },
};
