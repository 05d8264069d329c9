import { test } from "node:test";
import assert from "node:assert/strict";
import { addressBudgetKey, MemoryAttemptBudgets, type BudgetRule } from "./attempt-budget";

const rule: BudgetRule = { name: "t", max: 3, windowSeconds: 60, blockSeconds: 300 };

function clocked() {
  let now = 1_000_000;
  return { store: new MemoryAttemptBudgets(() => now), advance: (s: number) => (now += s * 1000) };
}

test("attempts in flight count against the budget before they fail", async () => {
  const { store } = clocked();
  for (let i = 0; i < 3; i++) assert.deepEqual(await store.reserve(rule, "a"), { ok: true });
  const fourth = await store.reserve(rule, "a");
  assert.equal(fourth.ok, false);
  assert.ok(!fourth.ok && fourth.inFlight, "refused for attempts in flight, not for failures: the caller may wait its turn");
  assert.deepEqual(await store.reserve(rule, "b"), { ok: true }, "keys are separate");
});

test("a success gives its point back; failures keep theirs and, at the limit, block for the block time", async () => {
  const { store, advance } = clocked();
  await store.reserve(rule, "a");
  await store.settle(rule, "a", false);
  for (let i = 0; i < 2; i++) {
    await store.reserve(rule, "a");
    await store.settle(rule, "a", true);
  }
  assert.deepEqual(await store.peek(rule, "a"), { ok: true }, "after two failures and a success, one attempt is left");
  await store.reserve(rule, "a");
  await store.settle(rule, "a", true);
  const blocked = await store.reserve(rule, "a");
  assert.deepEqual(blocked, { ok: false, retryAfterSeconds: 300 }, "spent by failures: no inFlight mark");
  advance(120);
  assert.deepEqual(await store.peek(rule, "a"), { ok: false, retryAfterSeconds: 180 }, "the block outlasts the window");
  advance(181);
  assert.deepEqual(await store.reserve(rule, "a"), { ok: true });
});

test("failures are forgotten when the window ends", async () => {
  const { store, advance } = clocked();
  for (let i = 0; i < 2; i++) {
    await store.reserve(rule, "a");
    await store.settle(rule, "a", true);
  }
  advance(61);
  for (let i = 0; i < 3; i++) assert.deepEqual(await store.reserve(rule, "a"), { ok: true });
});

test("idle keys are dropped, so a spray of usernames does not grow memory for ever", async () => {
  const { store, advance } = clocked();
  for (let i = 0; i < 500; i++) {
    await store.reserve(rule, `user-${i}`);
    await store.settle(rule, `user-${i}`, false);
  }
  advance(61);
  for (let i = 0; i < 1000; i++) await store.peek(rule, "same");
  assert.ok(store.size < 10, `${store.size} keys held`);
});

test("IPv6 addresses are counted by their /64; IPv4 (also mapped) as is", () => {
  assert.equal(addressBudgetKey("192.0.2.7"), "192.0.2.7");
  assert.equal(addressBudgetKey("::ffff:192.0.2.7"), "192.0.2.7");
  assert.equal(addressBudgetKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  assert.equal(addressBudgetKey("2001:0db8:0001:0002:ffff:1:2:3"), "2001:db8:1:2::/64");
  assert.equal(addressBudgetKey("2001:db8::1"), "2001:db8:0:0::/64");
  assert.equal(addressBudgetKey("::1"), "0:0:0:0::/64");
  assert.equal(addressBudgetKey("unknown"), "unknown");
});
