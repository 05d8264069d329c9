import { invalid } from "../../core/errors";
import { isValidRepositoryName } from "../../core/names";

/**
 * Cache rules as ACR has them: a target repository of the registry (or `prefix/*`) stands for a source repository
 * of an upstream (`HOST/repo` or `HOST/prefix/*`). A wildcard is only a trailing `/*`, on both sides or neither.
 */

export type RuleShape = { sourceRepo: string; targetRepo: string };
export type ParsedSource = { host: string; repository: string; wildcard: boolean };

/** Rule and credential-set names: as ACR, 5–50 letters, digits and hyphens, starting with a letter or digit. */
export const RULE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9-]{4,49}$/;
const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::[0-9]{1,5})?$/;

export function checkRuleName(value: unknown, what: "cache rule" | "credential set"): string {
  const s = String(value ?? "").trim();
  if (!RULE_NAME_RE.test(s)) {
    throw invalid(`'${s}' is not a valid ${what} name: use 5-50 letters, digits and hyphens, starting with a letter or digit (e.g. ${what === "cache rule" ? "dockerhub-ubuntu" : "dockerhub-creds"}).`, "name");
  }
  return s;
}

/** An upstream login server: `host[:port]`, lower case, no scheme or path. */
export function checkLoginServer(value: unknown): string {
  let s = String(value ?? "").trim().toLowerCase();
  s = s.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  if (!HOST_RE.test(s)) throw invalid(`'${String(value ?? "")}' is not a login server: give the upstream's host and optional port, e.g. docker.io or registry.example.com:5000.`, "loginServer");
  return s === "index.docker.io" || s === "registry-1.docker.io" ? "docker.io" : s;
}

function splitWildcard(s: string): { base: string; wildcard: boolean } {
  if (s.endsWith("/*")) return { base: s.slice(0, -2), wildcard: true };
  return { base: s, wildcard: false };
}

function checkRepoPart(name: string, field: string, example: string): void {
  if (name.includes("*")) throw invalid(`'${name}' has a '*' that is not a trailing '/*'. Wildcards may only end a path, e.g. ${example}.`, field);
  if (!isValidRepositoryName(name)) {
    throw invalid(`'${name}' is not a repository name: lower-case letters and digits separated by '.', '_', '__' or '-', with '/' between components (e.g. ${example}).`, field);
  }
}

/** `HOST/REPO` or `HOST/PREFIX/*`; docker.io one-part names get `library/` as docker gives them. */
export function parseSourceRepo(value: unknown): ParsedSource {
  const s = String(value ?? "").trim();
  const example = "docker.io/library/ubuntu or docker.io/bitnami/*";
  const slash = s.indexOf("/");
  if (slash <= 0) throw invalid(`Source repository '${s}' has no host: give the upstream's full path, e.g. ${example}.`, "sourceRepo");
  const host = checkLoginServerFor(s.slice(0, slash));
  const { base, wildcard } = splitWildcard(s.slice(slash + 1));
  checkRepoPart(base, "sourceRepo", example);
  const repository = host === "docker.io" && !wildcard && !base.includes("/") ? `library/${base}` : base;
  return { host, repository, wildcard };
}

function checkLoginServerFor(host: string): string {
  try {
    return checkLoginServer(host);
  } catch {
    throw invalid(`'${host}' in the source repository is not a registry host: write it as HOST/REPO, e.g. docker.io/library/ubuntu.`, "sourceRepo");
  }
}

export function parseTargetRepo(value: unknown): { repository: string; wildcard: boolean } {
  const s = String(value ?? "").trim();
  const { base, wildcard } = splitWildcard(s);
  checkRepoPart(base, "targetRepo", "ubuntu or hub/*");
  return { repository: base, wildcard };
}

/** Normalised source and target of a new rule; throws INVALID naming the field. */
export function checkRuleShape(input: { sourceRepo: unknown; targetRepo: unknown }): RuleShape & { source: ParsedSource } {
  const source = parseSourceRepo(input.sourceRepo);
  const target = parseTargetRepo(input.targetRepo);
  if (source.wildcard !== target.wildcard) {
    throw invalid(
      `Wildcards must be on both sides or neither: source '${String(input.sourceRepo)}' and target '${String(input.targetRepo)}'. E.g. docker.io/bitnami/* → bitnami/*, or docker.io/library/ubuntu → ubuntu.`,
      "targetRepo",
    );
  }
  const sourceRepo = `${source.host}/${source.repository}${source.wildcard ? "/*" : ""}`;
  const targetRepo = `${target.repository}${target.wildcard ? "/*" : ""}`;
  return { sourceRepo, targetRepo, source };
}

/** Does a (normalised) target pattern cover this repository name? */
export function targetCovers(targetRepo: string, repository: string): boolean {
  const { base, wildcard } = splitWildcard(targetRepo);
  return wildcard ? repository.startsWith(`${base}/`) : repository === base;
}

/** Two target patterns that could both cover some repository: a rule may not shadow another. */
export function targetsOverlap(a: string, b: string): boolean {
  const pa = splitWildcard(a);
  const pb = splitWildcard(b);
  if (!pa.wildcard && !pb.wildcard) return pa.base === pb.base;
  if (pa.wildcard && targetCovers(a, pb.base)) return true;
  if (pb.wildcard && targetCovers(b, pa.base)) return true;
  return pa.wildcard && pb.wildcard && pa.base === pb.base;
}

/** The rule (of those given) whose target covers the repository; rules never overlap, so at most one does. */
export function ruleFor<R extends RuleShape>(rules: readonly R[], repository: string): R | null {
  for (const r of rules) if (targetCovers(r.targetRepo, repository)) return r;
  return null;
}

/** Where a target repository's content lives upstream: host and repository there. */
export function upstreamOf(rule: RuleShape, repository: string): { host: string; repository: string } {
  const source = parseSourceRepo(rule.sourceRepo);
  const target = splitWildcard(rule.targetRepo);
  if (!source.wildcard) return { host: source.host, repository: source.repository };
  return { host: source.host, repository: `${source.repository}/${repository.slice(target.base.length + 1)}` };
}
