import { UsageError } from "./args";

/** Turns results into what `az` would print: JSON (default), an aligned table, TSV, or nothing. */

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

/** `field`, `a.b`, or `[].field` (the field of every item of a list). */
export function applyQuery(value: Plain, query: string): Plain {
  const q = query.trim();
  const each = q.startsWith("[]");
  const fields = (each ? q.slice(2).replace(/^\./, "") : q).split(".").filter(Boolean);
  const pick = (item: Plain): Plain => {
    let cur: Plain = item;
    for (const f of fields) {
      if (cur === null || typeof cur !== "object" || Array.isArray(cur) || !(f in cur)) {
        const known = cur && typeof cur === "object" && !Array.isArray(cur) ? Object.keys(cur).join(", ") : "none";
        throw new UsageError(`--query: no field '${f}' in the result (fields: ${known}).`);
      }
      cur = cur[f];
    }
    return cur;
  };
  if (each) {
    if (!Array.isArray(value)) throw new UsageError(`--query '${query}' needs a list result; use '${q.slice(2).replace(/^\./, "")}' instead.`);
    return value.map(pick);
  }
  if (Array.isArray(value)) throw new UsageError(`--query '${query}': the result is a list; use '[].${fields.join(".")}'.`);
  return pick(value);
}

export type Column = { header: string; field: string };

export function render(result: unknown, format: string, opts: { query?: string; table?: Column[] } = {}): string {
  if (format === "none" || result === undefined) return "";
  let value = toPlain(result);
  if (opts.query) value = applyQuery(value, opts.query);
  if (format === "json") return JSON.stringify(value, null, 2) + "\n";
  if (format === "tsv") return tsv(value);
  return table(value, opts.query ? undefined : opts.table);
}

function cell(v: Plain): string {
  if (v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function tsv(value: Plain): string {
  const rows = Array.isArray(value) ? value : [value];
  const lines = rows.map((row) =>
    row !== null && typeof row === "object" && !Array.isArray(row)
      ? Object.values(row).filter((x) => x === null || typeof x !== "object").map(cell).join("\t")
      : cell(row),
  );
  return lines.length ? lines.join("\n") + "\n" : "";
}

/** "loginServer" → "Login Server", as az's table headers read. */
function headerOf(field: string): string {
  return field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

function table(value: Plain, columns?: Column[]): string {
  const rows = Array.isArray(value) ? value : [value];
  if (!rows.length) return "";
  const objects = rows.every((r) => r !== null && typeof r === "object" && !Array.isArray(r)) as boolean;
  let header: string[];
  let body: string[][];
  if (!objects) {
    header = ["Result"];
    body = rows.map((r) => [cell(r)]);
  } else {
    const objs = rows as Record<string, Plain>[];
    const cols =
      columns ??
      Object.keys(objs[0])
        .filter((k) => objs[0][k] === null || typeof objs[0][k] !== "object")
        .map((field) => ({ header: headerOf(field), field }));
    header = cols.map((c) => c.header);
    body = objs.map((o) => cols.map((c) => cell(c.field.split(".").reduce<Plain>((cur, f) => (cur && typeof cur === "object" && !Array.isArray(cur) ? (cur[f] ?? null) : null), o))));
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n") + "\n";
}
