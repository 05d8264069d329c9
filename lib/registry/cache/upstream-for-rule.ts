import { context, slot } from "../../core/context";
import { db } from "../../core/db";
import { WharfError } from "../../core/errors";
import { logger } from "../../core/logging";
import { openSecret } from "../../core/secrets";
import { canonicalHost, isUpstreamError, UpstreamClient, type UpstreamError } from "../upstream";
import { countUpstreamError } from "./cache-stats";
import type { ActiveRule } from "./rules";
import { upstreamOf } from "./rule-match";

/** The upstream client of a rule for one target repository, logged in with the rule's credential set if it has one. */
export type RuleUpstream = { client: UpstreamClient; repository: string; credentialSetId: string | null };

export async function upstreamFor(rule: ActiveRule, repository: string): Promise<RuleUpstream> {
  const up = upstreamOf(rule, repository);
  let credentials: { username: string; password: string } | null = null;
  if (rule.credentialSetId) {
    const set = await db().credentialSet.findUnique({ where: { id: rule.credentialSetId }, select: { username: true, sealedPassword: true } });
    if (set) credentials = { username: set.username, password: openSecret(set.sealedPassword) };
  }
  return { client: new UpstreamClient({ host: canonicalHost(up.host), credentials }), repository: up.repository, credentialSetId: rule.credentialSetId };
}

/** The last login result written per credential set: written again only when it changes, not on every fetch. */
const lastLogin = slot("cacheCredentialLogins", () => new Map<string, string>());

/** Notes how a login with the set went (ok, or the upstream's refusal) for the portal's health column. */
export function noteLogin(up: RuleUpstream, result: "ok" | UpstreamError | unknown): void {
  if (!up.credentialSetId) return;
  const value = result === "ok" ? "ok" : isUpstreamError(result) && (result.failure === "unauthorized" || result.failure === "denied") ? result.failure : null;
  if (!value) return; // unreachable, timeouts…: they say nothing about the credentials
  const m = context().get(lastLogin);
  if (m.get(up.credentialSetId) === value) return;
  m.set(up.credentialSetId, value);
  void db()
    .credentialSet.updateMany({ where: { id: up.credentialSetId }, data: { lastLoginResult: value, lastLoginAt: new Date() } })
    .catch((err) => logger().warn({ err: (err as Error).message }, "could not record a credential set's login result"));
}

/** An upstream that failed in a way a cached copy may stand in for (down, slow, rate-limited, 5xx). */
export function upstreamUnavailable(err: unknown): boolean {
  if (!isUpstreamError(err)) return false;
  return err.failure === "unreachable" || err.failure === "timeout" || err.failure === "rate_limited" || (err.failure === "bad_answer" && err.status >= 500);
}

/**
 * The error a client sees when nothing cached can answer: it names the rule, the upstream and the upstream's own
 * answer, and is counted against the rule. Not-found upstream stays a not-found (MANIFEST_UNKNOWN / BLOB_UNKNOWN).
 */
export function ruleFailure(rule: ActiveRule, up: RuleUpstream, err: unknown, notFound: (message: string) => WharfError): unknown {
  if (!isUpstreamError(err)) return err;
  const where = `cache rule '${rule.name}' (source ${rule.sourceRepo}, upstream ${up.client.host}/${up.repository})`;
  if (err.failure === "not_found") return notFound(`Not found upstream through ${where}: ${err.message}`);
  countUpstreamError(rule.id, err.message);
  noteLogin(up, err);
  const e = new WharfError(err.code, `The upstream of ${where} failed and nothing cached can answer: ${err.message}`, { detail: err.detail });
  return Object.assign(e, { retryAfterSeconds: err.retryAfterSeconds });
}
