import { Command, Option } from "commander";
import { UsageError } from "./errors";
import type { Column } from "./output";

/** The shapes commands are declared in, and commander's Command and Option carrying them (for help and parsing). */

export type OptionSpec = {
  /** commander flags: "-n, --name <name>", "--yes". */
  flags: string;
  help: string;
  required?: boolean;
  /** Allowed values, matched case-insensitively and passed on in this spelling. */
  choices?: readonly string[];
  default?: string;
  /** Takes true or false, as az's `--admin-enabled true`. */
  bool?: boolean;
  /** az's repeatable `--repository hello content/read metadata/read`: one or more words each time, collected as string[][]. */
  words?: boolean;
  /** Checks (and may convert) the value while parsing; throws UsageError. */
  check?: (value: string) => string;
};

export type Example = { title: string; command: string };
export type ArgValue = string | boolean | string[][] | undefined;
export type Args = Record<string, ArgValue>;

export type CommandSpec = {
  summary: string;
  options: OptionSpec[];
  examples: Example[];
  /** Columns for `-o table`; when absent, every scalar field is a column. */
  table?: Column[];
  /** False for a command that starts the context itself (check-health must report a broken database, not stop on it). */
  prepare?: false;
  /** After the result is printed: a message when the command must still exit 1 (a failed health check). */
  failure?: (result: unknown) => string | null;
  /** Calls one service; what it returns is printed per --output. `note` writes a line to stderr (not part of the result). */
  run: (args: Args, io: { warn: (line: string) => void; note: (line: string) => void }) => Promise<unknown>;
};
/** `self`: the group word alone is also a command (`wharf import --source …` beside `wharf import show`). */
export type GroupSpec = { summary: string; children: Record<string, GroupSpec | CommandSpec>; self?: CommandSpec };

export const isGroup = (s: GroupSpec | CommandSpec): s is GroupSpec => "children" in s;

export class WharfOption extends Option {
  constructor(
    readonly spec: OptionSpec,
    readonly global = false,
  ) {
    super(spec.flags, spec.help);
  }
}

export const WORD_SEPARATOR = "\u0000";

export class WharfCommand extends Command {
  spec?: GroupSpec | CommandSpec;

  /** "wharf registry create". */
  fullName(): string {
    const names: string[] = [];
    for (let c: Command | null = this; c; c = c.parent) names.unshift(c.name());
    return names.join(" ");
  }

  wharfOptions(): WharfOption[] {
    return this.options.filter((o): o is WharfOption => o instanceof WharfOption);
  }

  /** Joins the words after a `words` option into one value, so commander sees one value per occurrence. */
  override parseOptions(args: string[]) {
    const wordFlags = new Set(this.wharfOptions().filter((o) => o.spec.words).flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)));
    if (!wordFlags.size) return super.parseOptions(args);
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const eq = args[i].startsWith("--") ? args[i].indexOf("=") : -1;
      const flag = eq > 0 ? args[i].slice(0, eq) : args[i];
      if (args[i] === "--" || !wordFlags.has(flag)) {
        out.push(args[i]);
        continue;
      }
      const words = eq > 0 ? [args[i].slice(eq + 1)] : [];
      while (i + 1 < args.length && !(args[i + 1].startsWith("-") && args[i + 1].length > 1)) words.push(args[++i]);
      if (!words.length) throw new UsageError(`argument ${flag}: expected one or more arguments. See \`${this.fullName()} --help\`.`);
      out.push(flag, words.join(WORD_SEPARATOR));
    }
    return super.parseOptions(out);
  }

  override createCommand(name?: string): WharfCommand {
    return new WharfCommand(name);
  }
}
