import { invalid } from "./errors";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as `az acr purge --ago` writes it: one or more number+unit parts, e.g. `30d`, `2d3h6m`, `90s`, `0s`
 * (units d, h, m, s, ms). `field` names the option in the error.
 */
export function parseDuration(text: string, field: string): number {
  const s = String(text ?? "").trim();
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|d|h|m|s)/g)];
  if (!s || parts.map((p) => p[0]).join("") !== s) {
    throw invalid(`'${text}' is not a duration. Write a number and a unit, e.g. 30d, 12h, 2d3h6m, 90s or 0s.`, field);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]], 0);
}

/** The shortest way to write `ms` in the units above (for messages and dry-run output). */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1_000], ["ms", 1]] as const) {
    const n = Math.floor(rest / size);
    if (n) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
