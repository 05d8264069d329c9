import crypto from "node:crypto";
import { config, context, slot } from "../core/context";
import { pgPool } from "../core/pg-pool";
import { addressBudgetKey, MemoryAttemptBudgets, type AttemptBudgetStore, type BudgetRule } from "./attempt-budget";
import { PgAttemptBudgets } from "./attempt-budget-pg";
import { reserveInTurn, wakeNext } from "./budget-turn";
import { HashPoolBusy } from "./hash-pool";

/**
 * The one gate in front of password checks, for both doors: the portal's sign-in
 * and docker's /oauth2/token. Before a password is hashed, the attempt takes a
 * point from two failure budgets — the client address's (per door) and the
 * username's (shared by both doors, so one account cannot be guessed at from many
 * addresses) — and gives it back when the password was right. Points held by
 * checks still running are not failures: an attempt that finds the rest of a
 * budget held that way waits for its turn (budget-turn.ts) instead of being
 * refused, so a burst of right passwords is never answered "too many failed
 * logins". Identical attempts at the same moment (same door, address, username and
 * password: a CI fleet's runners) share one check and one point. The hash itself
 * runs in a small worker pool with a bounded queue; when that queue is full the
 * attempt is refused without hashing and without counting as a failure.
 *
 * Budgets are one for all nodes on PostgreSQL (PgAttemptBudgets), per node on SQLite; see attempt-budget.ts.
 */
export type LoginDoor = "portal" | "token";

export type LoginRefusal = { refused: "address" | "username" | "busy"; retryAfterSeconds: number };

const budgets = slot<AttemptBudgetStore>("loginBudgets", (ctx) => {
  const pool = pgPool(ctx);
  return pool ? new PgAttemptBudgets(pool) : new MemoryAttemptBudgets();
});

/** Replaces the budget store (a shared one for several nodes; tests use a clock of their own). */
export function useLoginBudgetStore(store: AttemptBudgetStore): void {
  context().set(budgets, store);
}

function rules(door: LoginDoor): { address: BudgetRule; username: BudgetRule } {
  const c = config();
  const block = c.WHARF_LOGIN_BLOCK_SECONDS;
  return {
    address:
      door === "portal"
        ? { name: "portal-address", max: c.WHARF_LOGIN_MAX_FAILURES, windowSeconds: 60, blockSeconds: block }
        : { name: "token-address", max: c.WHARF_TOKEN_MAX_FAILURES, windowSeconds: 60, blockSeconds: 60 },
    username: { name: "username", max: c.WHARF_LOGIN_USERNAME_MAX_FAILURES, windowSeconds: block, blockSeconds: block },
  };
}

const usernameKey = (username: string) => username.trim().toLowerCase().slice(0, 256);

/** A login waits at most this long for its turn in a budget held by checks in flight; then it is refused as busy. */
export const LOGIN_TURN_WAIT_MS = 10_000;

/**
 * Whether attempts from this address (or for this username) are refused right now
 * because of failures; takes nothing. Checks in flight do not count: they may all succeed.
 */
export async function loginBlock(door: LoginDoor, address: string, username?: string): Promise<LoginRefusal | null> {
  const store = context().get(budgets);
  const r = rules(door);
  const byAddress = await store.peek(r.address, addressBudgetKey(address));
  if (!byAddress.ok && !byAddress.inFlight) return { refused: "address", retryAfterSeconds: byAddress.retryAfterSeconds };
  if (username === undefined) return null;
  const byName = await store.peek(r.username, usernameKey(username));
  return byName.ok || byName.inFlight ? null : { refused: "username", retryAfterSeconds: byName.retryAfterSeconds };
}

type Outcome<T> = { value: T | null } | LoginRefusal;

/** Attempts being checked on this node, by a keyed hash of everything that makes them identical; nothing outlives the check. */
const inProgress = slot("loginsInProgress", () => ({ secret: crypto.randomBytes(32), byKey: new Map<string, Promise<unknown>>() }));

/**
 * Runs `check` (a password check answering the signed-in thing or null) inside
 * both budgets. Answers the check's result, or a refusal when a budget is spent
 * or too many checks already wait for the hash pool.
 */
export async function guardedPasswordCheck<T>(
  door: LoginDoor,
  address: string,
  username: string,
  password: string,
  check: () => Promise<T | null>,
): Promise<Outcome<T>> {
  const { secret, byKey } = context().get(inProgress);
  const key = crypto.createHmac("sha256", secret).update(JSON.stringify([door, addressBudgetKey(address), usernameKey(username), password])).digest("base64url");
  const same = byKey.get(key) as Promise<Outcome<T>> | undefined;
  if (same) return same;
  const attempt = checkWithinBudgets(door, address, username, check).finally(() => byKey.delete(key));
  byKey.set(key, attempt);
  return attempt;
}

async function checkWithinBudgets<T>(door: LoginDoor, address: string, username: string, check: () => Promise<T | null>): Promise<Outcome<T>> {
  const store = context().get(budgets);
  const r = rules(door);
  const addressKey = addressBudgetKey(address);
  const nameKey = usernameKey(username);
  const deadline = Date.now() + LOGIN_TURN_WAIT_MS;
  const busy: LoginRefusal = { refused: "busy", retryAfterSeconds: 5 };

  const byAddress = await reserveInTurn(store, r.address, addressKey, deadline);
  if (byAddress === "timeout") return busy;
  if (!byAddress.ok) return { refused: "address", retryAfterSeconds: byAddress.retryAfterSeconds };
  const byName = await reserveInTurn(store, r.username, nameKey, deadline);
  if (byName === "timeout" || !byName.ok) {
    await settle(r.address, addressKey, false); // nothing was tried
    return byName === "timeout" ? busy : { refused: "username", retryAfterSeconds: byName.retryAfterSeconds };
  }

  let failed = false;
  try {
    const value = await check();
    failed = value === null;
    return { value };
  } catch (err) {
    if (err instanceof HashPoolBusy) return { refused: "busy", retryAfterSeconds: err.retryAfterSeconds };
    throw err; // an outage (database down) is not the caller's failure
  } finally {
    await settle(r.address, addressKey, failed);
    await settle(r.username, nameKey, failed);
  }
}

async function settle(rule: BudgetRule, key: string, failed: boolean): Promise<void> {
  await context().get(budgets).settle(rule, key, failed);
  wakeNext(rule, key);
}

export function isLoginRefusal(x: unknown): x is LoginRefusal {
  return typeof x === "object" && x !== null && "refused" in x;
}
