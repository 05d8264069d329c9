import { test } from "node:test";
import assert from "node:assert/strict";
import { loginThrottleMessage, loginThrottleState, recordLoginFailure } from "./login-throttle";

const limits = { maxFailures: 5, blockSeconds: 300 };

test("the sixth failure within a minute blocks the address for the block period", async () => {
  const ip = "192.0.2.10";
  for (let i = 1; i <= 5; i++) {
    assert.deepEqual(await recordLoginFailure(ip, limits), { blocked: false }, `failure ${i} must not block`);
    assert.deepEqual(await loginThrottleState(ip, limits), { blocked: false });
  }
  const sixth = await recordLoginFailure(ip, limits);
  assert.equal(sixth.blocked, true);
  const state = await loginThrottleState(ip, limits);
  assert.equal(state.blocked, true);
  if (state.blocked) {
    assert.ok(state.retryAfterSeconds > 290 && state.retryAfterSeconds <= 300, `retry after ${state.retryAfterSeconds}`);
  }
});

test("addresses are counted separately", async () => {
  for (let i = 0; i < 6; i++) await recordLoginFailure("192.0.2.20", limits);
  assert.equal((await loginThrottleState("192.0.2.20", limits)).blocked, true);
  assert.deepEqual(await loginThrottleState("192.0.2.21", limits), { blocked: false });
});

test("the message rounds up to whole minutes", () => {
  assert.equal(loginThrottleMessage(300), "Too many failed sign-in attempts from your address. Try again in 5 minutes.");
  assert.equal(loginThrottleMessage(61), "Too many failed sign-in attempts from your address. Try again in 2 minutes.");
  assert.equal(loginThrottleMessage(10), "Too many failed sign-in attempts from your address. Try again in 1 minute.");
});
