import { CommanderError, type Option } from "commander";
import { isGroup, WharfCommand, WharfOption, WORD_SEPARATOR, type Args, type CommandSpec, type GroupSpec, type OptionSpec } from "./command";
import { CliError, describeFailure, UsageError, type Given } from "./errors";
import { formatHelp } from "./help";
import { checkQuery, OUTPUT_FORMATS, render, type OutputFormat } from "./output";
import { suggest } from "./suggest";

/**
 * Commands are declared as data (options, examples, table columns, a `run` that calls
 * one service) and built into a commander tree here, so every group and command gets
 * the same az-style help, output options and error handling.
 */

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
    case "commander.missingMandatoryOptionValue": {
      // commander checks required options before unknown ones; a mistyped option is the better answer.
      const known = (flag: string) => cmd.options.some((o) => o.long === flag || o.short === flag);
      const stray = cmd.args.find((a) => a.startsWith("-") && !known(a.replace(/=.*/, "")));
      if (stray) return usageError(new CommanderError(1, "commander.unknownOption", `error: unknown option '${stray}'`), cmd);
      return new UsageError(`the following arguments are required: ${byFlags ? optionLabel(byFlags) : quoted}. ${see}`);
    }
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
  // Groups allow extra words (to name unknown commands); a command's stray word is a usage error.
  cmd.description(spec.summary).allowExcessArguments(false);
  for (const o of spec.options) cmd.addOption(buildOption(o));
  for (const o of GLOBAL_OPTIONS) cmd.addOption(buildOption(o, true));
  cmd.action(async () => {
    const args = cmd.opts() as Args;
    try {
      if (spec.prepare !== false) await io.prepare();
      const warn = (line: string) => io.err(`WARNING: ${line}\n`);
      const result = await spec.run(args, { warn, note: (line) => io.err(`${line}\n`) });
      const output = render(result, args.output as OutputFormat, { query: args.query as string | undefined, table: spec.table });
      if (output.warning) warn(output.warning);
      io.out(output.stdout);
      const failed = spec.failure?.(result);
      if (failed) throw new CliError(failed);
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
  addChildren(cmd, spec, io);
}

function addChildren(cmd: WharfCommand, spec: GroupSpec, io: Io): void {
  for (const [name, child] of Object.entries(spec.children)) {
    if (isGroup(child) && child.self) {
      // A group that is also a command: its own options and action, its children as subcommands.
      addCommand(cmd, name, child.self, io);
      addChildren(cmd.commands.find((c) => c.name() === name) as WharfCommand, child, io);
    } else if (isGroup(child)) addGroup(cmd.command(name) as WharfCommand, child, io);
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
