import { CliError, UsageError } from "./errors";
import type { ArgValue, Args, OptionSpec } from "./command";

/** Reading parsed options in command code, and the option declarations several commands share. */

export const text = (v: ArgValue): string => (typeof v === "string" ? v : "");
export const optionalText = (v: ArgValue): string | undefined => (typeof v === "string" ? v : undefined);
export const words = (v: ArgValue): string[][] => (Array.isArray(v) ? v : []);

export const registryNameOption: OptionSpec = { flags: "-n, --name <name>", required: true, help: "The name of the registry." };
export const registryOption: OptionSpec = { flags: "-r, --registry <registry>", required: true, help: "The name of the registry." };
export const yesOption: OptionSpec = { flags: "-y, --yes", help: "Do not prompt for confirmation." };

/** A whole number ≥ 1, e.g. `--top 5`. */
export function positiveWhole(flag: string) {
  return (value: string): string => {
    if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`argument ${flag}: must be a positive whole number (got '${value}').`);
    return value;
  };
}

/** Deleting cannot be undone: without --yes, say how to confirm (az answers so when it cannot prompt). */
export function requireYes(args: Args, what: string, command: string): void {
  if (args.yes !== true) throw new CliError(`Deleting ${what} cannot be undone. To confirm, run \`${command} --yes\`.`);
}

/** az's `--tags key=value key2=value2`; `--tags ""` clears them. */
export function tagsOf(v: ArgValue): { name: string; value: string }[] {
  return words(v)
    .flat()
    .filter((w) => w !== "")
    .map((w) => {
      const eq = w.indexOf("=");
      return eq < 0 ? { name: w, value: "" } : { name: w.slice(0, eq), value: w.slice(eq + 1) };
    });
}
