import { config, context, slot } from "../core/context";
import { pgPool } from "../core/pg-pool";
import { addressBudgetKey, MemoryAttemptBudgets, type AttemptBudgetStore, type BudgetRule } from "./attempt-budget";
import { PgAttemptBudgets } from "./attempt-budget-pg";
import { HashPoolBusy } from "./hash-pool";

/**
 * The one gate in front of password checks, for both doors: the portal's sign-in
 * and docker's /oauth2/token. Before a password is hashed, the attempt takes a
 * point from two failure budgets — the client address's (per door) and the
 * username's (shared by both doors, so one account cannot be guessed at from many
 * addresses) — and gives it back when the password was right. The hash itself
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

/** Whether attempts from this address (or for this username) are refused right now; takes nothing. */
export async function loginBlock(door: LoginDoor, address: string, username?: string): Promise<LoginRefusal | null> {
  const store = context().get(budgets);
  const r = rules(door);
  const byAddress = await store.peek(r.address, addressBudgetKey(address));
  if (!byAddress.ok) return { refused: "address", retryAfterSeconds: byAddress.retryAfterSeconds };
  if (username === undefined) return null;
  const byName = await store.peek(r.username, usernameKey(username));
  return byName.ok ? null : { refused: "username", retryAfterSeconds: byName.retryAfterSeconds };
}

/**
 * Runs `check` (a password check answering the signed-in thing or null) inside
 * both budgets. Answers the check's result, or a refusal when a budget is spent
 * or too many checks already wait for the hash pool.
 */
export async function guardedPasswordCheck<T>(
  door: LoginDoor,
  address: string,
  username: string,
  check: () => Promise<T | null>,
): Promise<{ value: T | null } | LoginRefusal> {
  const store = context().get(budgets);
  const r = rules(door);
  const addressKey = addressBudgetKey(address);
  const nameKey = usernameKey(username);

  const byAddress = await store.reserve(r.address, addressKey);
  if (!byAddress.ok) return { refused: "address", retryAfterSeconds: byAddress.retryAfterSeconds };
  const byName = await store.reserve(r.username, nameKey);
  if (!byName.ok) {
    await store.settle(r.address, addressKey, false); // nothing was tried
    return { refused: "username", retryAfterSeconds: byName.retryAfterSeconds };
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
    await store.settle(r.address, addressKey, failed);
    await store.settle(r.username, nameKey, failed);
  }
}

export function isLoginRefusal(x: unknown): x is LoginRefusal {
  return typeof x === "object" && x !== null && "refused" in x;
}
