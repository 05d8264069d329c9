import { ConfigError } from "../lib/core/config";
import { isWharfError, type WharfError } from "../lib/core/errors";
import { REGISTRY_NAME_RULE, registryNameProblem } from "../lib/core/registry-rules";
import { WizardInvalid } from "../lib/services/registry-fields";

/**
 * How failures reach the shell, as az does: one `ERROR: …` line on stderr that says
 * what to run next; exit 2 for a command typed wrongly (usage), 1 for everything else.
 */

/** The command was typed wrongly (unknown option, missing or bad argument): exit 2. */
export class UsageError extends Error {}

/** A refusal the CLI itself decides (e.g. a delete without --yes): exit 1. */
export class CliError extends Error {}

export const USAGE_EXIT = 2;

/** The options a command was given, to make hints concrete (`--name contoso`). */
export type Given = Record<string, unknown>;

/** Service fields → the flag a CLI user types for them. */
const FLAG_OF: Record<string, string> = {
  name: "--name",
  registry: "--registry",
  repository: "--repository",
  location: "--location",
  sku: "--sku",
  resourceGroup: "--resource-group",
  publicAccess: "--public-network-enabled / --default-action",
  networkRules: "--ip-address",
  encryption: "--encryption",
  tags: "--tags",
};

function flagOf(field: string | undefined): string | undefined {
  return field ? FLAG_OF[field.split(".")[0]] : undefined;
}

/** The next command to run after a service refused, where one helps. */
function hint(err: WharfError, given: Given, command: string): string {
  const registry = String(given.registry ?? given.name ?? "").trim().toLowerCase();
  if (err.code === "NOT_FOUND" && err.field === "registry") return " List registries with `wharf registry list`.";
  if (err.code === "NOT_FOUND" && err.field === "repository" && registry) return ` List its repositories with \`wharf repository list --name ${registry}\`.`;
  if (err.code === "CONFLICT" && err.field === "name" && command === "registry create") {
    return ` Choose another name, or see the existing one with \`wharf registry show --name ${registry}\`.`;
  }
  return "";
}

function wizardMessage(err: WizardInvalid, given: Given): string {
  const name = String(given.name ?? "").trim().toLowerCase();
  const lines = err.problems.map((p) => {
    const flag = flagOf(p.field);
    // A name that follows the rules can only be refused for being taken.
    const next =
      p.field !== "name" ? "" : registryNameProblem(name) ? ` ${REGISTRY_NAME_RULE}` : ` Choose another name, or see the existing one with \`wharf registry show --name ${name}\`.`;
    return `${flag ? `${flag}: ` : ""}${p.message}${next}`;
  });
  return lines.length === 1 ? lines[0] : `The registry settings are not valid:\n  ${lines.join("\n  ")}`;
}

/** The message and exit code for anything a command threw. */
export function describeFailure(err: unknown, given: Given = {}, command = ""): { message: string; exitCode: number } {
  if (err instanceof UsageError) return { message: err.message, exitCode: USAGE_EXIT };
  if (err instanceof CliError || err instanceof ConfigError) return { message: err.message, exitCode: 1 };
  if (err instanceof WizardInvalid) return { message: wizardMessage(err, given), exitCode: 1 };
  if (isWharfError(err)) return { message: err.message + hint(err, given, command), exitCode: 1 };
  const text = err instanceof Error ? err.message : String(err);
  return { message: `unexpected failure: ${text} (run with WHARF_DEBUG=1 for details)`, exitCode: 1 };
}
