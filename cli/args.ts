/**
 * A small argument parser in the manner of `az`: words pick a command from a tree
 * of groups, then `--long value`, `--long=value`, `-s value` and boolean flags.
 */

export type OptionSpec = {
  /** Long name without dashes, kebab-case (`--anonymous-pull-enabled`). */
  name: string;
  short?: string;
  help: string;
  /** Flags take no value; `--yes` means true. */
  flag?: boolean;
  required?: boolean;
  /** Allowed values, matched case-insensitively and returned in this spelling. */
  choices?: readonly string[];
  default?: string;
  /**
   * Repeatable, each time with one or more words until the next option, as az's
   * `--repository hello content/read metadata/read`. Collected as string[][].
   */
  multi?: boolean;
};

export type ArgValue = string | boolean | string[][] | undefined;

export type Example = { title: string; command: string };

export type CommandContext = {
  args: Record<string, ArgValue>;
  /** Full command words, e.g. "registry show". */
  path: string;
};

export type CommandSpec = {
  kind: "command";
  summary: string;
  options: OptionSpec[];
  examples: Example[];
  /** Columns for `--output table`; when absent, every scalar field is a column. */
  table?: { header: string; field: string }[];
  run: (ctx: CommandContext) => Promise<unknown>;
};

export type GroupSpec = {
  kind: "group";
  summary: string;
  children: Record<string, GroupSpec | CommandSpec>;
};

/** Options every command accepts. */
export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: "help", short: "h", flag: true, help: "Show this help message and exit." },
  { name: "output", short: "o", choices: ["json", "table", "tsv", "none"], default: "json", help: "Output format." },
  {
    name: "query",
    help: "Print only this field of the result, e.g. `loginServer` or `sku.name`; `[].name` takes the field from every item of a list.",
  },
];

/** A mistake in how the command was typed: the message says what to run instead. */
export class UsageError extends Error {}

export type Parsed =
  | { kind: "help"; node: GroupSpec | CommandSpec; path: string[] }
  | { kind: "run"; command: CommandSpec; path: string[]; args: Record<string, ArgValue> };

export function parse(root: GroupSpec, argv: string[]): Parsed {
  let node: GroupSpec | CommandSpec = root;
  const path: string[] = [];
  let i = 0;
  // Walk the words down the group tree.
  while (node.kind === "group" && i < argv.length && !argv[i].startsWith("-")) {
    const word = argv[i];
    const next: GroupSpec | CommandSpec | undefined = Object.prototype.hasOwnProperty.call(node.children, word) ? node.children[word] : undefined;
    if (!next) {
      const where = ["wharf", ...path].join(" ");
      const hint = suggest(word, Object.keys(node.children));
      throw new UsageError(
        `'${word}' is not a command in '${where}'.${hint ? ` Did you mean '${where} ${hint}'?` : ""} See \`${where} --help\`.`,
      );
    }
    node = next;
    path.push(word);
    i++;
  }
  const rest = argv.slice(i);
  if (node.kind === "group") {
    // `wharf registry` alone, or with -h: show what the group offers.
    const stray = rest.find((a) => a !== "-h" && a !== "--help");
    if (stray) throw new UsageError(`Unrecognised argument '${stray}'. See \`${["wharf", ...path].join(" ")} --help\`.`);
    return { kind: "help", node, path };
  }
  if (rest.includes("-h") || rest.includes("--help")) return { kind: "help", node, path };

  const command = node;
  const specs = [...command.options, ...GLOBAL_OPTIONS];
  const helpHint = `See \`${["wharf", ...path].join(" ")} --help\`.`;
  const args: Record<string, ArgValue> = {};
  for (let j = 0; j < rest.length; j++) {
    const token = rest[j];
    let key: string;
    let inline: string | undefined;
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      key = eq === -1 ? token.slice(2) : token.slice(2, eq);
      inline = eq === -1 ? undefined : token.slice(eq + 1);
    } else if (/^-[a-zA-Z]$/.test(token)) {
      key = token.slice(1);
    } else {
      throw new UsageError(`Unrecognised argument '${token}'. ${helpHint}`);
    }
    const spec = specs.find((s) => s.name === key || s.short === key);
    if (!spec) {
      const hint = suggest(key, specs.map((s) => s.name));
      throw new UsageError(`Unrecognised argument '${token}'.${hint ? ` Did you mean '--${hint}'?` : ""} ${helpHint}`);
    }
    if (spec.multi) {
      const words: string[] = inline !== undefined ? [inline] : [];
      while (j + 1 < rest.length && !(rest[j + 1].startsWith("-") && rest[j + 1].length > 1)) words.push(rest[++j]);
      if (!words.length) throw new UsageError(`Argument --${spec.name} expected one or more values. ${helpHint}`);
      args[spec.name] = [...((args[spec.name] as string[][] | undefined) ?? []), words];
      continue;
    }
    if (spec.name in args) throw new UsageError(`Argument --${spec.name} was given more than once. ${helpHint}`);
    if (spec.flag) {
      if (inline !== undefined) {
        if (!/^(true|false)$/i.test(inline)) throw new UsageError(`Argument --${spec.name} takes no value (or true/false). ${helpHint}`);
        args[spec.name] = inline.toLowerCase() === "true";
      } else args[spec.name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const nextToken = rest[j + 1];
      if (nextToken === undefined || (nextToken.startsWith("-") && nextToken.length > 1)) {
        throw new UsageError(`Argument --${spec.name} expected a value. ${helpHint}`);
      }
      value = nextToken;
      j++;
    }
    if (spec.choices) {
      const match = spec.choices.find((c) => c.toLowerCase() === value!.toLowerCase());
      if (!match) {
        throw new UsageError(`Argument --${spec.name}: invalid choice '${value}' (choose from ${spec.choices.map((c) => `'${c}'`).join(", ")}).`);
      }
      value = match;
    }
    args[spec.name] = value;
  }
  const missing = command.options.filter((s) => s.required && args[s.name] === undefined);
  if (missing.length) {
    throw new UsageError(`The following arguments are required: ${missing.map(optionLabel).join(", ")}. ${helpHint}`);
  }
  for (const s of specs) if (args[s.name] === undefined && s.default !== undefined) args[s.name] = s.default;
  return { kind: "run", command, path, args };
}

export function optionLabel(s: OptionSpec): string {
  return `--${s.name}${s.short ? `/-${s.short}` : ""}`;
}

/** The closest known word within two edits, for "did you mean". */
function suggest(word: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Help text in the layout `az` users know: what it is, its arguments, examples. */
export function helpText(node: GroupSpec | CommandSpec, path: string[]): string {
  const name = ["wharf", ...path].join(" ");
  const lines: string[] = [];
  const pad = (rows: [string, string][]) => {
    const w = Math.max(...rows.map(([a]) => a.length));
    return rows.map(([a, b]) => `    ${a.padEnd(w)} : ${b}`);
  };
  if (node.kind === "group") {
    lines.push("", "Group", `    ${name} : ${node.summary}`, "");
    const groups = Object.entries(node.children).filter(([, c]) => c.kind === "group");
    const commands = Object.entries(node.children).filter(([, c]) => c.kind === "command");
    if (groups.length) lines.push("Subgroups:", ...pad(groups.map(([k, c]) => [k, c.summary])), "");
    if (commands.length) lines.push("Commands:", ...pad(commands.map(([k, c]) => [k, c.summary])), "");
    lines.push(`To see help for a command, run \`${name} <command> --help\`.`, "");
    return lines.join("\n");
  }
  lines.push("", "Command", `    ${name} : ${node.summary}`, "");
  const describe = (s: OptionSpec): [string, string] => {
    const label = `--${s.name}${s.short ? ` -${s.short}` : ""}${s.required ? " [Required]" : ""}`;
    let text = s.help;
    if (s.choices) text += ` Allowed values: ${s.choices.join(", ")}.`;
    if (s.default !== undefined) text += ` Default: ${s.default}.`;
    return [label, text];
  };
  if (node.options.length) lines.push("Arguments", ...pad(node.options.map(describe)), "");
  lines.push("Global Arguments", ...pad(GLOBAL_OPTIONS.map(describe)), "");
  if (node.examples.length) {
    lines.push("Examples");
    for (const e of node.examples) lines.push(`    ${e.title}`, `        ${e.command}`, "");
  }
  return lines.join("\n");
}
