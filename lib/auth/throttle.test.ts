import { test } from "node:test";
import assert from "node:assert/strict";
import { parseConfig } from "../core/config";
import { startContext } from "../core/context";
import { throttleAnonymous, throttleHeaders, throttleRegistry } from "./throttle";

test("registry operations are limited per minute by SKU, from configuration", async () => {
  startContext(parseConfig({ WHARF_SKU_LIMITS: JSON.stringify({ Basic: { readOpsPerMinute: 3, writeOpsPerMinute: 1 } }) }));
  const reg = { id: "reg-throttle-1", sku: "Basic" };
  for (let i = 0; i < 3; i++) assert.equal((await throttleRegistry(reg, "read")).allowed, true);
  const over = await throttleRegistry(reg, "read");
  assert.equal(over.allowed, false);
  assert.ok(over.resetSeconds >= 1 && over.resetSeconds <= 60);
  assert.equal(throttleHeaders(over)["Retry-After"], String(over.resetSeconds));
  assert.equal(throttleHeaders(over)["RateLimit-Limit"], "3");
  // Writes have their own budget; other registries are unaffected.
  assert.equal((await throttleRegistry(reg, "write")).allowed, true);
  assert.equal((await throttleRegistry(reg, "write")).allowed, false);
  assert.equal((await throttleRegistry({ id: "reg-throttle-2", sku: "Basic" }, "read")).allowed, true);
});

test("anonymous calls are limited per address", async () => {
  startContext(parseConfig({ WHARF_ANONYMOUS_RATE_PER_MINUTE: "2" }));
  assert.equal((await throttleAnonymous("192.0.2.1")).allowed, true);
  assert.equal((await throttleAnonymous("192.0.2.1")).allowed, true);
  assert.equal((await throttleAnonymous("192.0.2.1")).allowed, false);
  assert.equal((await throttleAnonymous("192.0.2.2")).allowed, true);
});
