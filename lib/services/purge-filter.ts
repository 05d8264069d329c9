import vm from "node:vm";
import { invalid } from "../core/errors";

/**
 * `az acr purge --filter REPO_REGEX:TAG_REGEX`: each filter names repositories and tags by regular expressions that
 * must match the whole name (as acr-cli anchors them). Regular expressions come from people, so matching runs in a
 * separate V8 context with a time limit: a pattern that backtracks catastrophically fails with a message instead of
 * holding the server.
 */

export type PurgeFilter = { text: string; repository: string; tag: string };

export const MAX_FILTERS = 20;
export const MAX_FILTER_LENGTH = 256;
/** Time one matching pass may take before the filter is judged catastrophic. */
const MATCH_BUDGET_MS = 2_000;

/**
 * Splits at the first ':' that is not inside a group or a character class (a tag regex like `(?:v1|v2)` keeps its
 * colon). Exactly one such ':' is allowed: repository and tag names never contain one.
 */
export function splitFilter(text: string): { repository: string; tag: string } | null {
  let depth = 0;
  let inClass = false;
  let split = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === ":" && depth === 0) {
      if (split >= 0) return null;
      split = i;
    }
  }
  if (split < 0) return null;
  return { repository: text.slice(0, split), tag: text.slice(split + 1) };
}

function compileProblem(source: string): string | null {
  try {
    new RegExp(source);
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

/** Checks and parses every filter; the error names the filter, what is wrong, and an example that works. */
export function parseFilters(filters: unknown): PurgeFilter[] {
  const list = Array.isArray(filters) ? filters.map((f) => String(f ?? "").trim()).filter(Boolean) : [];
  if (!list.length) throw invalid("Give at least one filter REPOSITORY_REGEX:TAG_REGEX, e.g. 'hello-world:.*' or '.*:^v1\\..*'.", "filters");
  if (list.length > MAX_FILTERS) throw invalid(`Give at most ${MAX_FILTERS} filters (got ${list.length}); combine tags with '|' in one filter, e.g. 'app:(dev|test)-.*'.`, "filters");
  return list.map((text) => {
    if (text.length > MAX_FILTER_LENGTH) throw invalid(`Filter '${text.slice(0, 40)}…' is ${text.length} characters long; the limit is ${MAX_FILTER_LENGTH}.`, "filters");
    const parts = splitFilter(text);
    if (!parts) {
      throw invalid(`Filter '${text}' must be REPOSITORY_REGEX:TAG_REGEX with one ':' between them (outside groups), e.g. 'hello-world:v1\\..*'.`, "filters");
    }
    if (!parts.repository) throw invalid(`Filter '${text}' has no repository expression before ':'; use '.*' for every repository.`, "filters");
    if (!parts.tag) throw invalid(`Filter '${text}' has no tag expression after ':'; use '.*' for every tag.`, "filters");
    for (const [what, source] of [["repository", parts.repository], ["tag", parts.tag]] as const) {
      const problem = compileProblem(source);
      if (problem) throw invalid(`The ${what} expression '${source}' in filter '${text}' is not a valid regular expression: ${problem}.`, "filters");
    }
    return { text, ...parts };
  });
}

/** The whole-name form of one expression (acr-cli anchors with ^…$). */
export const anchored = (source: string) => `^(?:${source})$`;

/**
 * For each name, whether any of `sources` matches it whole. Runs in its own V8 context with a time limit, so a
 * pathological expression cannot stall the process.
 */
export function matchNames(sources: string[], names: string[]): boolean[] {
  if (!sources.length || !names.length) return names.map(() => false);
  const script = "const res = sources.map((s) => new RegExp(s)); names.map((n) => res.some((r) => r.test(n)))";
  try {
    const out = vm.runInNewContext(script, { sources: sources.map(anchored), names }, { timeout: MATCH_BUDGET_MS }) as boolean[];
    return Array.from(out, Boolean);
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw invalid(
        `Matching names against ${sources.map((s) => `'${s}'`).join(", ")} took longer than ${MATCH_BUDGET_MS / 1000} s, which usually means an expression that backtracks (e.g. '(a+)+'). Simplify it.`,
        "filters",
      );
    }
    throw err;
  }
}
