import { LOCAL_OPERATOR as me } from "../../lib/auth/actor";
import { showSoftDelete, SOFT_DELETE_DAYS, updateSoftDelete } from "../../lib/services/recycle-bin";
import { optionalText, registryOption, text } from "../args";
import type { CommandSpec, GroupSpec } from "../command";
import { UsageError } from "../errors";

/** `wharf config soft-delete show|update`, as `az acr config soft-delete`. */

const TABLE = [
  { header: "STATUS", field: "status" },
  { header: "DAYS", field: "days" },
  { header: "DELETED MANIFESTS", field: "deletedManifests" },
  { header: "DELETED BYTES", field: "deletedBytes" },
];

const show: CommandSpec = {
  summary: "Show a registry's soft-delete policy, and how much its recycle bin holds.",
  options: [registryOption],
  examples: [{ title: "Show the soft-delete policy.", command: "wharf config soft-delete show -r myregistry" }],
  table: TABLE,
  run: async (args) => showSoftDelete(me, { registry: text(args.registry) }),
};

function days(value: string): string {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < SOFT_DELETE_DAYS.min || n > SOFT_DELETE_DAYS.max) {
    throw new UsageError(`argument --days: must be a whole number from ${SOFT_DELETE_DAYS.min} to ${SOFT_DELETE_DAYS.max} (got '${value}').`);
  }
  return value;
}

const update: CommandSpec = {
  summary:
    "Turn soft delete on or off, and set how many days deleted manifests stay in the recycle bin. Manifests already in the bin keep the expiry they got when deleted (a new --days applies to later deletes); turning soft delete off keeps them until they expire.",
  options: [
    registryOption,
    { flags: "--status <status>", choices: ["enabled", "disabled"], help: "Keep deleted manifests in the recycle bin (enabled) or delete them at once (disabled, the default)." },
    { flags: "--days <days>", check: days, help: `Days a deleted manifest stays restorable before it is deleted for good (${SOFT_DELETE_DAYS.min}-${SOFT_DELETE_DAYS.max}; 7 unless set).` },
  ],
  examples: [
    { title: "Keep deleted manifests for 30 days.", command: "wharf config soft-delete update -r myregistry --status enabled --days 30" },
    { title: "Turn soft delete off.", command: "wharf config soft-delete update -r myregistry --status disabled" },
  ],
  table: TABLE,
  run: async (args) => {
    if (args.status === undefined && args.days === undefined) throw new UsageError("Nothing to change: give --status, --days or both. See `wharf config soft-delete update --help`.");
    return updateSoftDelete(me, { registry: text(args.registry), status: optionalText(args.status), days: args.days === undefined ? undefined : Number(args.days) });
  },
};

/** Adds `soft-delete` to the `config` group. */
/** `wharf config soft-delete …`. */
export const softDelete: GroupSpec = { summary: "Manage the soft-delete policy (recycle bin) of a registry.", children: { show, update } };
