import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import pg from "pg";
import { parseConfig } from "../core/config";
import { startContext, type Context } from "../core/context";
import type { BudgetRule } from "./attempt-budget";
import { PgAttemptBudgets } from "./attempt-budget-pg";
import { guardedPasswordCheck, isLoginRefusal } from "./login-guard";
import { reserveInTurn } from "./budget-turn";

const PG = process.env.WHARF_TEST_POSTGRES_URL;
const rule: BudgetRule = { name: `t-${crypto.randomUUID()}`, max: 3, windowSeconds: 60, blockSeconds: 300 };

describe("failure budgets in PostgreSQL", { skip: PG ? false : "WHARF_TEST_POSTGRES_URL is not set" }, () => {
  const pools: pg.Pool[] = [];
  const contexts: Context[] = [];
  after(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await Promise.all(contexts.map((c) => c.close()));
  });
  let now = 1_000_000;
  /** A node's store: its own pool, one clock for all (the rules must hold across nodes, not clocks). */
  const nodeStore = () => {
    const pool = new pg.Pool({ connectionString: PG, max: 2 });
    pools.push(pool);
    return new PgAttemptBudgets(pool, () => now);
  };

  test("the memory store's rules hold: in-flight attempts count, failures block, the block outlasts the window", async () => {
    const store = nodeStore();
    for (let i = 0; i < 3; i++) assert.deepEqual(await store.reserve(rule, "a"), { ok: true });
    assert.equal((await store.reserve(rule, "a")).ok, false);
    for (let i = 0; i < 3; i++) await store.settle(rule, "a", i === 0); // one failure, two successes
    assert.deepEqual(await store.peek(rule, "a"), { ok: true });
    for (let i = 0; i < 2; i++) {
      await store.reserve(rule, "a");
      await store.settle(rule, "a", true);
    }
    assert.deepEqual(await store.reserve(rule, "a"), { ok: false, retryAfterSeconds: 300 });
    now += 120_000;
    assert.deepEqual(await store.peek(rule, "a"), { ok: false, retryAfterSeconds: 180 });
    now += 181_000;
    assert.deepEqual(await store.reserve(rule, "a"), { ok: true });
  });

  test("failures on node A and node B spend one budget", async () => {
    const [a, b] = [nodeStore(), nodeStore()];
    for (const store of [a, b, a]) {
      assert.deepEqual(await store.reserve(rule, "shared"), { ok: true });
      await store.settle(rule, "shared", true);
    }
    assert.equal((await b.reserve(rule, "shared")).ok, false);
    assert.equal((await a.peek(rule, "shared")).ok, false);
  });

  test("parallel guesses through two nodes are refused at the budget, before any is checked", async () => {
    const [a, b] = [nodeStore(), nodeStore()];
    const verdicts = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).reserve(rule, "burst")));
    assert.equal(verdicts.filter((v) => v.ok).length, 3);
  });

  test("sign-in through two nodes: the address is blocked at WHARF_LOGIN_MAX_FAILURES in total", async () => {
    const address = `203.0.113.${crypto.randomInt(1, 250)}`;
    const user = `u-${crypto.randomUUID()}`;
    const wrong = async () => null;
    const env = { WHARF_DATA_DIR: "/tmp/wharf-budget-test", WHARF_DATABASE_URL: PG, WHARF_LOGIN_MAX_FAILURES: "3", WHARF_LOG_LEVEL: "error" as const };
    const results: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      if (i < 2) contexts.push(startContext(parseConfig(env))); // node A, then node B answers from the second attempt on
      results.push(await guardedPasswordCheck("portal", address, user, `guess-${i}`, wrong));
    }
    assert.deepEqual(results.slice(0, 3), [{ value: null }, { value: null }, { value: null }]);
    assert.ok(isLoginRefusal(results[3]) && results[3].refused === "address", JSON.stringify(results[3]));
  });

  test("a point held on node A is waited for on node B, which gets its turn once A's check succeeds", async () => {
    contexts.push(startContext(parseConfig({ WHARF_DATA_DIR: "/tmp/wharf-budget-test", WHARF_DATABASE_URL: PG, WHARF_LOG_LEVEL: "error" as const })));
    const [a, b] = [nodeStore(), nodeStore()];
    for (let i = 0; i < 3; i++) assert.deepEqual(await a.reserve(rule, "turns"), { ok: true });
    let done = false;
    const waiting = reserveInTurn(b, rule, "turns", Date.now() + 60_000).finally(() => (done = true));
    assert.equal(await reserveInTurn(b, rule, "turns", Date.now()), "timeout", "held by checks in flight: no turn yet");
    assert.equal(done, false);
    await a.settle(rule, "turns", false); // a success on A; nothing on B is told, B's waiter finds out by asking
    assert.deepEqual(await waiting, { ok: true });
  });
});
