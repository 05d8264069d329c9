import type { Option } from "commander";
import type { WharfCommand, WharfOption } from "./command";

/**
 * Help in the layout az users know (Group / Subgroups / Commands, or Command /
 * Arguments / Global Arguments / Examples), generated from the commander tree.
 */

function rows(entries: [string, string][]): string[] {
  const w = Math.max(...entries.map(([a]) => a.length));
  return entries.map(([a, b]) => `    ${a.padEnd(w)} : ${b}`);
}

function describe(o: Option): [string, string] {
  const spec = (o as Partial<WharfOption>).spec;
  const label = `${o.long ?? ""}${o.short ? ` ${o.short}` : ""}${o.mandatory ? " [Required]" : ""}`;
  let text = o.description;
  const choices = spec?.choices ?? (spec?.bool ? ["false", "true"] : undefined);
  if (choices) text += `  Allowed values: ${choices.join(", ")}.`;
  if (spec?.default !== undefined) text += `  Default: ${spec.default}.`;
  return [label, text];
}

export function formatHelp(cmd: WharfCommand): string {
  const name = cmd.fullName();
  const lines: string[] = [];
  const children = cmd.commands as WharfCommand[];
  // A group that is also a command (`wharf import` beside `wharf import show`) gets command help, then its subcommands.
  const isCommand = !!cmd.spec && !("children" in cmd.spec);
  if (children.length && !isCommand) {
    lines.push("", "Group", `    ${name} : ${cmd.description()}`, "");
    const groups = children.filter((c) => c.commands.length);
    const commands = children.filter((c) => !c.commands.length);
    if (groups.length) lines.push("Subgroups:", ...rows(groups.map((c) => [c.name(), c.description()])), "");
    if (commands.length) lines.push("Commands:", ...rows(commands.map((c) => [c.name(), c.description()])), "");
    lines.push(`To see help for a command, run \`${name} <command> --help\`.`, "");
    return lines.join("\n");
  }
  lines.push("", "Command", `    ${name} : ${cmd.description()}`, "");
  const own = cmd.wharfOptions().filter((o) => !o.global);
  // commander's own help option (-h/--help) is the one visible option that is not ours.
  const helpOption = cmd.createHelp().visibleOptions(cmd).filter((o) => !own.includes(o as WharfOption) && !(o as Partial<WharfOption>).spec);
  const globals: Option[] = [...helpOption, ...cmd.wharfOptions().filter((o) => o.global)];
  if (own.length) lines.push("Arguments", ...rows(own.map(describe)), "");
  lines.push("Global Arguments", ...rows(globals.map(describe)), "");
  const spec = cmd.spec;
  if (spec && "examples" in spec && spec.examples.length) {
    lines.push("Examples");
    for (const e of spec.examples) lines.push(`    ${e.title}`, `        ${e.command}`, "");
  }
  if (children.length) lines.push("Commands:", ...rows(children.map((c) => [c.name(), c.description()])), "", `To see help for a command, run \`${name} <command> --help\`.`, "");
  return lines.join("\n");
}
