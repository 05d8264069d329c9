import crypto from "node:crypto";
import type pg from "pg";
import { judgeEntry, settleEntry, type AttemptBudgetStore, type BudgetRule, type BudgetVerdict, type Entry } from "./attempt-budget";
import { SHARED_SCHEMA, sharedTable } from "../core/pg-pool";

/**
 * Failure budgets in PostgreSQL, one for all nodes: guessing a password through three nodes gets no more tries than
 * through one. Each call reads and writes the key's row under a row lock (a few round trips, ~1 ms: nothing beside
 * the password hash it guards). Used on PostgreSQL with or without Redis: a login needs the database anyway, so the
 * budget is exactly as available as the thing it protects.
 *
 * Unlike memory, attempts still in flight are forgotten when the window rolls over: a node that died mid-check
 * cannot leave a point taken for ever.
 */
const NAME = "attempt_budgets";
const TABLE = `${SHARED_SCHEMA}.${NAME}`;

export class PgAttemptBudgets implements AttemptBudgetStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number = Date.now,
  ) {}

  reserve(rule: BudgetRule, key: string): Promise<BudgetVerdict> {
    return this.update(rule, key, (e, now) => {
      const verdict = judgeEntry(rule, e, now);
      if (verdict.ok) e.inFlight++;
      return verdict;
    });
  }

  async settle(rule: BudgetRule, key: string, failed: boolean): Promise<void> {
    await this.update(rule, key, (e, now) => settleEntry(rule, e, failed, now));
  }

  async peek(rule: BudgetRule, key: string): Promise<BudgetVerdict> {
    await this.table();
    const now = this.now();
    const { rows } = await this.pool.query<Row>(`SELECT * FROM ${TABLE} WHERE id = $1`, [rowId(rule, key)]);
    return judgeEntry(rule, roll(rule, rows[0], now), now);
  }

  private table(): Promise<void> {
    // UNLOGGED as the rate limits: a crash forgets at most one block time of failures.
    return sharedTable(this.pool, NAME, "id text PRIMARY KEY, window_ends bigint NOT NULL, failures integer NOT NULL, in_flight integer NOT NULL, blocked_until bigint NOT NULL", { unlogged: true });
  }

  private async update<T>(rule: BudgetRule, key: string, change: (e: Entry, now: number) => T): Promise<T> {
    await this.table();
    const id = rowId(rule, key);
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      const now = this.now();
      await c.query(`INSERT INTO ${TABLE} VALUES ($1, $2, 0, 0, 0) ON CONFLICT (id) DO NOTHING`, [id, now + rule.windowSeconds * 1000]);
      const { rows } = await c.query<Row>(`SELECT * FROM ${TABLE} WHERE id = $1 FOR UPDATE`, [id]);
      const e = roll(rule, rows[0], now);
      const result = change(e, now);
      await c.query(`UPDATE ${TABLE} SET window_ends = $2, failures = $3, in_flight = $4, blocked_until = $5 WHERE id = $1`, [
        id,
        e.windowEnds,
        e.failures,
        e.inFlight,
        e.blockedUntil,
      ]);
      // Now and then, rows with nothing left to remember go, so a spray of usernames does not grow the table for ever.
      if (Math.random() < 0.002) await c.query(`DELETE FROM ${TABLE} WHERE window_ends < $1 AND blocked_until < $1 AND in_flight = 0`, [now]);
      await c.query("COMMIT");
      return result;
    } catch (err) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}

/** Keys are whatever a client typed (a NUL would be refused by PostgreSQL text, a long one bloats the index): hashed. */
const rowId = (rule: BudgetRule, key: string) => `${rule.name}:${crypto.createHash("sha256").update(key).digest("base64url")}`;

type Row = { window_ends: string; failures: number; in_flight: number; blocked_until: string };

function roll(rule: BudgetRule, row: Row | undefined, now: number): Entry {
  const e: Entry = row
    ? { windowEnds: Number(row.window_ends), failures: row.failures, inFlight: row.in_flight, blockedUntil: Number(row.blocked_until) }
    : { windowEnds: now + rule.windowSeconds * 1000, failures: 0, inFlight: 0, blockedUntil: 0 };
  if (e.windowEnds <= now) Object.assign(e, { windowEnds: now + rule.windowSeconds * 1000, failures: 0, inFlight: 0 });
  return e;
}
