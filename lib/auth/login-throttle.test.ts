import { test } from "node:test";
import assert from "node:assert/strict";
import { loginRefusalMessage, loginThrottleMessage } from "./login-throttle";

test("the address message rounds up to whole minutes", () => {
  assert.equal(loginThrottleMessage(300), "Too many failed sign-in attempts from your address. Try again in 5 minutes.");
  assert.equal(loginThrottleMessage(61), "Too many failed sign-in attempts from your address. Try again in 2 minutes.");
  assert.equal(loginThrottleMessage(10), "Too many failed sign-in attempts from your address. Try again in 1 minute.");
});

test("each refusal says why and when to try again", () => {
  assert.equal(loginRefusalMessage({ refused: "address", retryAfterSeconds: 300 }), loginThrottleMessage(300));
  assert.equal(loginRefusalMessage({ refused: "username", retryAfterSeconds: 90 }), "Too many failed sign-in attempts for this account. Try again in 2 minutes.");
  assert.equal(loginRefusalMessage({ refused: "busy", retryAfterSeconds: 3 }), "Too many sign-in attempts are being checked right now. Try again in a few seconds.");
});
