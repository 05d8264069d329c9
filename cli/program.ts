import { Command, CommanderError, Option } from "commander";
import { describeFailure, UsageError, type Given } from "./errors";
import { formatHelp } from "./help";
import { checkQuery, OUTPUT_FORMATS, render, type Column, type OutputFormat } from "./output";
import { suggest } from "./suggest";

/**
 * Commands are declared as data (options, examples, table columns, a `run` that calls
 * one service) and built into a commander tree here, so every group and command gets
 * the same az-style help, output options and error handling.
 */

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
  /** Calls one service; what it returns is printed per --output. `note` writes a line to stderr (not part of the result). */
  run: (args: Args, io: { warn: (line: string) => void; note: (line: string) => void }) => Promise<unknown>;
};
export type GroupSpec = { summary: string; children: Record<string, GroupSpec | CommandSpec> };

const isGroup = (s: GroupSpec | CommandSpec): s is GroupSpec => "children" in s;

export class WharfOption extends Option {
  constructor(
    readonly spec: OptionSpec,
    readonly global = false,
  ) {
    super(spec.flags, spec.help);
  }
}

const WORD_SEPARATOR = "\u0000";

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

function optionLabel(o: Option): string {
  return [o.long, o.short].filter(Boolean).join("/");
}

function buildOption(spec: OptionSpec, global = false): WharfOption {
  const o = new WharfOption(spec, global);
  const label = () => optionLabel(o);
  if (spec.choices) {
    const choices = spec.choices;
    o.argParser((value: string) => {
      const match = choices.find((c) => c.toLowerCase() === value.toLowerCase());
      if (!match) throw new UsageError(`argument ${label()}: invalid choice: '${value}' (choose from ${choices.map((c) => `'${c}'`).join(", ")}).`);
      return match;
    });
  } else if (spec.bool) {
    o.argParser((value: string) => {
      if (/^true$/i.test(value)) return true;
      if (/^false$/i.test(value)) return false;
      throw new UsageError(`argument ${label()}: invalid choice: '${value}' (choose from 'false', 'true').`);
    });
  } else if (spec.words) {
    o.argParser((value: string, previous: string[][] | undefined) => [...(previous ?? []), value.split(WORD_SEPARATOR)]);
  } else if (spec.check) {
    o.argParser(spec.check);
  }
  if (spec.default !== undefined) o.default(spec.default);
  if (spec.required) o.makeOptionMandatory();
  return o;
}

/** `--output` and `--query`, which every command takes, as in az. */
const GLOBAL_OPTIONS: OptionSpec[] = [
  { flags: "-o, --output <format>", help: "Output format.", choices: OUTPUT_FORMATS, default: "json" },
  { flags: "--query <jmespath>", help: "JMESPath query string. See https://jmespath.org/ for more information and examples.", check: checkQuery },
];

/** Commander's own parse errors, reworded as az words them, with where to look next. */
function usageError(err: CommanderError, cmd: WharfCommand): Error {
  if (err.exitCode === 0) return err; // help shown
  const see = `See \`${cmd.fullName()} --help\`.`;
  const quoted = /'([^']*)'/.exec(err.message)?.[1] ?? "";
  const byFlags = cmd.options.find((o) => o.flags === quoted);
  switch (err.code) {
    case "commander.unknownOption": {
      const typed = quoted.replace(/=.*/, "");
      const hint = suggest(typed.replace(/^-+/, ""), cmd.options.map((o) => o.long?.slice(2) ?? "").filter(Boolean));
      return new UsageError(`Unrecognised argument '${typed}'.${hint ? ` Did you mean '--${hint}'?` : ""} ${see}`);
    }
    case "commander.missingMandatoryOptionValue":
      return new UsageError(`the following arguments are required: ${byFlags ? optionLabel(byFlags) : quoted}. ${see}`);
    case "commander.optionMissingArgument":
      return new UsageError(`argument ${byFlags ? optionLabel(byFlags) : quoted}: expected one argument. ${see}`);
    case "commander.excessArguments":
      return new UsageError(`Unrecognised argument '${cmd.args.find((a) => !a.startsWith("-")) ?? cmd.args[0]}'. ${see}`);
    default:
      return new UsageError(`${err.message.replace(/^error: /, "")} ${see}`);
  }
}

/** `wharf registy`: not a command of this group; suggest the closest. */
function unknownCommand(word: string, group: WharfCommand): UsageError {
  const where = group.fullName();
  const hint = suggest(word, group.commands.map((c) => c.name()));
  return new UsageError(`'${word}' is not a command in '${where}'.${hint ? ` Did you mean '${where} ${hint}'?` : ""} See \`${where} --help\`.`);
}

export type Io = { out: (text: string) => void; err: (text: string) => void; prepare: () => Promise<void> };

/** A failure already turned into the words and exit code the shell gets. */
export class Failure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function configure(cmd: WharfCommand, io: Io): void {
  cmd
    .helpOption("-h, --help", "Show this help message and exit.")
    .helpCommand(false)
    .configureHelp({ formatHelp: (c) => formatHelp(c as WharfCommand) })
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => {} })
    .exitOverride((err) => {
      throw usageError(err, cmd);
    });
}

function addCommand(parent: WharfCommand, name: string, spec: CommandSpec, io: Io): void {
  const cmd = parent.command(name) as WharfCommand;
  cmd.spec = spec;
  configure(cmd, io);
  cmd.description(spec.summary);
  for (const o of spec.options) cmd.addOption(buildOption(o));
  for (const o of GLOBAL_OPTIONS) cmd.addOption(buildOption(o, true));
  cmd.action(async () => {
    const args = cmd.opts() as Args;
    try {
      await io.prepare();
      const warn = (line: string) => io.err(`WARNING: ${line}\n`);
      const result = await spec.run(args, { warn, note: (line) => io.err(`${line}\n`) });
      const output = render(result, args.output as OutputFormat, { query: args.query as string | undefined, table: spec.table });
      if (output.warning) warn(output.warning);
      io.out(output.stdout);
    } catch (err) {
      if (process.env.WHARF_DEBUG) io.err(`${err instanceof Error ? err.stack : String(err)}\n`);
      const { message, exitCode } = describeFailure(err, args as Given, cmd.fullName().replace(/^wharf /, ""));
      throw new Failure(message, exitCode);
    }
  });
}

function addGroup(cmd: WharfCommand, spec: GroupSpec, io: Io): void {
  cmd.spec = spec;
  configure(cmd, io);
  cmd.description(spec.summary);
  // A group alone prints its help on stdout (exit 0), as `az acr` does; a word that is no command is a usage error.
  cmd.allowExcessArguments(true).action(() => {
    if (cmd.args.length) throw unknownCommand(cmd.args[0], cmd);
    io.out(cmd.helpInformation());
  });
  for (const [name, child] of Object.entries(spec.children)) {
    if (isGroup(child)) addGroup(cmd.command(name) as WharfCommand, child, io);
    else addCommand(cmd, name, child, io);
  }
}

/** The whole `wharf` program. */
export function buildProgram(root: GroupSpec, io: Io): WharfCommand {
  const program = new WharfCommand("wharf");
  addGroup(program, root, io);
  return program;
}

/** Runs one command line; returns the exit code (errors are already on stderr). */
export async function runProgram(program: WharfCommand, argv: string[], io: Io): Promise<number> {
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0) return 0;
    const { message, exitCode } = err instanceof Failure ? err : describeFailure(err);
    io.err(`ERROR: ${message}\n`);
    return exitCode;
  }
}
