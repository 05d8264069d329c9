import { compile, search, type JSONValue } from "@jmespath-community/jmespath";
import { UsageError } from "./errors";
import { toCsv } from "../lib/core/csv";

/**
 * What `az` prints: `--query` is JMESPath applied to the result, then the result
 * goes out as json (default), jsonc (coloured), tsv (values only, for shell
 * scripts), table (aligned columns), csv (the table's columns, for spreadsheets; not in az) or none.
 */

export const OUTPUT_FORMATS = ["json", "jsonc", "table", "tsv", "csv", "none"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
/** A table column: `field`, or `or` where that field is empty (a service principal's name, else its client id). */
export type Column = { header: string; field: string; or?: string };

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

/** Dates as ISO strings, bigints as numbers (exact up to 2^53, far beyond any blob), undefined dropped. */
export function toPlain(v: unknown): Plain {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(toPlain);
  if (typeof v === "object") {
    const out: Record<string, Plain> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toPlain(x);
    return out;
  }
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "string") return v;
  return String(v);
}

/** Checks a `--query` before the command runs, as az does: a bad expression is a usage error. */
export function checkQuery(query: string): string {
  try {
    compile(query);
    return query;
  } catch (err) {
    throw new UsageError(`argument --query: invalid JMESPath expression '${query}' (${err instanceof Error ? err.message : String(err)}). Examples: loginServer, [].name, "[?sku.name=='Premium'].name".`);
  }
}

export type Rendered = { stdout: string; warning?: string };

export function render(result: unknown, format: OutputFormat, opts: { query?: string; table?: Column[] } = {}): Rendered {
  if (format === "none" || result === undefined) return { stdout: "" };
  let value = toPlain(result);
  let warning: string | undefined;
  if (opts.query) {
    const before = value;
    value = search(value as JSONValue, opts.query) as Plain;
    if (value === null) warning = emptyQueryWarning(before, opts.query);
  }
  // Like az: a null result prints nothing.
  if (value === null) return { stdout: "", warning };
  switch (format) {
    case "json":
      return { stdout: JSON.stringify(value, null, 2) + "\n", warning };
    case "jsonc":
      return { stdout: colour(value, "") + "\n", warning };
    case "tsv":
      return { stdout: tsv(value), warning };
    case "table":
      return { stdout: table(value, opts.query ? undefined : opts.table), warning };
    case "csv": {
      const { header, body } = columnsOf(value, opts.query ? undefined : opts.table);
      return { stdout: header.length ? toCsv(header, body) : "", warning };
    }
  }
}

/** A null query result is usually a mistyped field: say which fields there are. */
function emptyQueryWarning(value: Plain, query: string): string {
  const sample = Array.isArray(value) ? value[0] : value;
  const fields = sample && typeof sample === "object" && !Array.isArray(sample) ? Object.keys(sample) : [];
  const shape = Array.isArray(value) ? "Each item of the result has" : "The result has";
  return `--query '${query}' matched nothing.${fields.length ? ` ${shape} the fields: ${fields.join(", ")}.` : ""}`;
}

const ANSI = { key: "\x1b[94m", string: "\x1b[32m", literal: "\x1b[36m", reset: "\x1b[0m" };

function colour(v: Plain, indent: string): string {
  const inner = indent + "  ";
  if (Array.isArray(v)) return v.length ? `[\n${v.map((x) => inner + colour(x, inner)).join(",\n")}\n${indent}]` : "[]";
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v);
    if (!entries.length) return "{}";
    return `{\n${entries.map(([k, x]) => `${inner}${ANSI.key}${JSON.stringify(k)}${ANSI.reset}: ${colour(x, inner)}`).join(",\n")}\n${indent}}`;
  }
  return `${typeof v === "string" ? ANSI.string : ANSI.literal}${JSON.stringify(v)}${ANSI.reset}`;
}

/** One tsv cell, as az writes it: a nested list as its length, a nested object as nothing. */
function tsvCell(v: Plain): string {
  if (v === null) return "";
  if (Array.isArray(v)) return String(v.length);
  if (typeof v === "object") return "";
  return String(v);
}

/** One line per item of a list (or for the one result); an object's values in order, tab-separated. */
function tsv(value: Plain): string {
  const rows = Array.isArray(value) ? value : [value];
  const line = (row: Plain) => (row !== null && typeof row === "object" ? (Array.isArray(row) ? row : Object.values(row)).map(tsvCell).join("\t") : tsvCell(row));
  return rows.map((r) => line(r) + "\n").join("");
}

function cell(v: Plain): string {
  if (v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** "loginServer" → "Login Server", as az's table headers read. */
function headerOf(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

function fieldOf(o: Record<string, Plain>, path: string): Plain {
  return path.split(".").reduce<Plain>((cur, f) => (cur && typeof cur === "object" && !Array.isArray(cur) ? (cur[f] ?? null) : null), o);
}

/** Aligned columns: the command's own columns, or every scalar field of the first row. */
function table(value: Plain, columns?: Column[]): string {
  const { header, body } = columnsOf(value, columns);
  if (!header.length) return "";
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n") + "\n";
}

/** The header and cells of a table or csv: the command's columns, or every scalar field of the first row. */
function columnsOf(value: Plain, columns?: Column[]): { header: string[]; body: string[][] } {
  const rows = Array.isArray(value) ? value : [value];
  if (!rows.length) return { header: [], body: [] };
  const objects = rows.every((r) => r !== null && typeof r === "object" && !Array.isArray(r));
  let header: string[];
  let body: string[][];
  if (!objects) {
    header = ["Result"];
    body = rows.map((r) => [cell(r)]);
  } else {
    const objs = rows as Record<string, Plain>[];
    const cols: Column[] =
      columns ??
      Object.keys(objs[0])
        .filter((k) => objs[0][k] === null || typeof objs[0][k] !== "object")
        .map((field) => ({ header: headerOf(field), field }));
    header = cols.map((c) => c.header);
    body = objs.map((o) => cols.map((c) => cell(fieldOf(o, c.field) ?? (c.or ? fieldOf(o, c.or) : null))));
  }
  return { header, body };
}
