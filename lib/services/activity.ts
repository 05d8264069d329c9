import { db } from "../core/db";
import type { Tx } from "../core/db";
import { invalid } from "../core/errors";
import { parseDuration } from "../core/duration";
import { emitEvent, emitEventNow, type RegistryEvent } from "../registry/events";
import { requireActor, type Actor } from "../auth/actor";
import { loadRegistry, registryScope } from "./load-registry";
import type { Prisma } from "../generated/prisma/client";

/** A control-plane change's entry: it takes the event path, so webhooks and the activity log see the same events. */
export type ActivityEntry = RegistryEvent;

/** Record who changed what, inside the same transaction as the change. */
export const recordActivity: (tx: Tx, e: ActivityEntry) => Promise<void> = emitEvent;

/** For a change the engine committed itself (deleting a tag or manifest): the entry follows on its own. */
export const recordActivityAfter: (e: ActivityEntry) => Promise<void> = emitEventNow;

/** A portal sign-in, right or wrong: one row each (the login guard's failure budgets bound the wrong ones). */
export async function recordSignIn(username: string, address: string, ok: boolean): Promise<void> {
  await emitEventNow({ actor: username.slice(0, 256), action: "signin", target: "portal", address, result: ok ? "ok" : "failed" });
}

export type ActivityFilter = {
  /** A registry's log; without it, the organisation's (every registry and organisation-level changes). */
  registry?: string;
  principal?: string;
  /** "manifest.push", or the last part alone ("push" matches every "*.push"). */
  action?: string;
  result?: string;
  /** `30m`, `1h`, `7d` ago, or an ISO time. */
  since?: string;
  until?: string;
  /** Opaque cursor from `older` of a page: the next page back in time. */
  cursor?: string;
  /** Opaque cursor from `newer` of a page: the page before it (towards now). */
  before?: string;
  take?: number;
};

export type ActivityRow = {
  id: string;
  at: Date;
  actor: string;
  /** A service principal's display name when `actor` is its client id (what its tokens carry): people read names. */
  actorName: string | null;
  action: string;
  target: string;
  registry: string | null;
  address: string | null;
  repository: string | null;
  tag: string | null;
  digest: string | null;
  result: string;
  count: number;
  before: string | null;
  after: string | null;
};

export type ActivityPage = { items: ActivityRow[]; older: string | null; newer: string | null };

export const MAX_ACTIVITY_PAGE = 500;
const RESULTS = ["ok", "denied", "failed"];

/**
 * The activity log, newest first, keyset-paged on (at desc, id desc): a page far back costs what the first does,
 * however many rows there are. Authorisation first: a registry's log needs read on it; the organisation's needs an
 * organisation-level role.
 */
export async function listActivity(actor: Actor, f: ActivityFilter = {}): Promise<ActivityPage> {
  const reg = f.registry !== undefined ? await loadRegistry(f.registry) : null;
  await requireActor(actor, "read", reg ? registryScope(reg) : { type: "organisation" });

  const take = f.take ?? 50;
  if (!Number.isInteger(take) || take < 1 || take > MAX_ACTIVITY_PAGE) throw invalid(`--top must be a whole number from 1 to ${MAX_ACTIVITY_PAGE}.`, "top");
  if (f.result !== undefined && !RESULTS.includes(f.result)) throw invalid(`Result '${f.result}' is not one of ${RESULTS.join(", ")}.`, "result");
  if (f.cursor && f.before) throw invalid("Give either an older-page or a newer-page cursor, not both.", "cursor");

  const and: Prisma.ActivityLogWhereInput[] = [];
  if (reg) and.push({ registryId: reg.id });
  if (f.principal) and.push({ actor: f.principal.trim() });
  if (f.action) {
    const a = f.action.trim();
    and.push(a.includes(".") ? { action: a } : { OR: [{ action: a }, { action: { endsWith: `.${a}` } }] });
  }
  if (f.result) and.push({ result: f.result });
  if (f.since) and.push({ at: { gte: parseTime(f.since, "since") } });
  if (f.until) and.push({ at: { lt: parseTime(f.until, "until") } });

  const newerPage = !!f.before;
  const cursor = f.cursor ? parseCursor(f.cursor) : f.before ? parseCursor(f.before) : null;
  // Written as a range on `at` plus the tie-break on id, not (at < X) OR (at = X AND id < Y): with the OR, SQLite
  // sorts every older row (a second per page at 300,000 rows); with the range it walks the (…, at) index and stops.
  if (cursor && newerPage) and.push({ at: { gte: cursor.at } }, { OR: [{ at: { gt: cursor.at } }, { id: { gt: cursor.id } }] });
  else if (cursor) and.push({ at: { lte: cursor.at } }, { OR: [{ at: { lt: cursor.at } }, { id: { lt: cursor.id } }] });
  // Page 1 too: without a bound on `at`, SQLite may scan and sort rather than walk the index backwards.
  else and.push({ at: { lte: new Date(Date.now() + 86_400_000) } });
  const order = newerPage ? "asc" : "desc";
  const rows = await db().activityLog.findMany({ where: { AND: and }, orderBy: [{ at: order }, { id: order }], take: take + 1 });
  const more = rows.length > take;
  const page = rows.slice(0, take);
  if (newerPage) page.reverse();

  const names = await registryNames(page.map((r) => r.registryId));
  const principals = await servicePrincipalNames(page.map((r) => r.actor));
  const items = page.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    actorName: principals.get(r.actor) ?? null,
    action: r.action,
    target: r.target,
    registry: r.registryId ? (names.get(r.registryId) ?? null) : null,
    address: r.address,
    repository: r.repository,
    tag: r.tag,
    digest: r.digest,
    result: r.result,
    count: r.count,
    before: r.before,
    after: r.after,
  }));
  const first = items[0];
  const last = items[items.length - 1];
  // Going back from a newer page, there is always an older page (the one we came from); and vice versa.
  const hasOlder = newerPage ? !!cursor : more;
  const hasNewer = newerPage ? more : !!cursor;
  return {
    items,
    older: hasOlder && last ? formatCursor(last) : null,
    newer: hasNewer && first ? formatCursor(first) : null,
  };
}

const CLIENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function servicePrincipalNames(actors: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(actors.filter((a) => CLIENT_ID.test(a)))];
  if (!wanted.length) return new Map();
  const rows = await db().servicePrincipal.findMany({ where: { clientId: { in: wanted } }, select: { clientId: true, displayName: true } });
  return new Map(rows.map((r) => [r.clientId, r.displayName]));
}

async function registryNames(ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await db().registry.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** `30m`, `1h`, `7d` (that long ago) or an ISO time (`2026-11-30T12:00:00Z`). */
export function parseTime(text: string, field: string, now = Date.now()): Date {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?(ms|s|m|h|d)+/.test(s) && !/^\d{4}-/.test(s)) return new Date(now - parseDuration(s, field));
  const t = /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) throw invalid(`--${field} '${text}' is neither a duration ago (30m, 1h, 7d) nor an ISO time (2026-11-30T12:00:00Z).`, field);
  return new Date(t);
}

function formatCursor(r: { at: Date; id: string }): string {
  return Buffer.from(`${r.at.toISOString()}|${r.id}`).toString("base64url");
}

function parseCursor(c: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(c, "base64url").toString("utf8").split("|");
  const when = new Date(at ?? "");
  if (!id || Number.isNaN(when.getTime())) throw invalid("The page cursor is not valid; start again from the first page.", "cursor");
  return { at: when, id };
}
