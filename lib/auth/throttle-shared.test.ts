import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { parseConfig } from "../core/config";
import { startContext, type Context } from "../core/context";
import { throttleAnonymous, throttleRegistry } from "./throttle";

/**
 * Several nodes share one budget. Each "node" is a context of its own (its own Redis client or pool, its own
 * memory); requests land on node A, then on node B, as behind a load balancer. With per-node memory, B would start
 * with a full budget.
 */
const PG = process.env.WHARF_TEST_POSTGRES_URL;
const REDIS = process.env.WHARF_TEST_REDIS_URL;
const LIMITS = JSON.stringify({ Basic: { readOpsPerMinute: 4, writeOpsPerMinute: 2 } });

const nodes: Context[] = [];
after(() => Promise.all(nodes.map((n) => n.close())));

/** Starts a new node (context) on the given shared store; lib calls made after this go to it. */
function node(env: Record<string, string | undefined>): void {
  nodes.push(startContext(parseConfig({ WHARF_DATA_DIR: "/tmp/wharf-throttle-test", WHARF_LOG_LEVEL: "error", WHARF_SKU_LIMITS: LIMITS, WHARF_ANONYMOUS_RATE_PER_MINUTE: "3", ...env })));
}

async function allowed(n: number, call: () => Promise<{ allowed: boolean }>): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await call()).allowed);
  return out;
}

function oneBudgetAcrossNodes(env: () => Record<string, string | undefined>) {
  test("two nodes consuming one registry's reads together are refused at the SKU limit", async () => {
    const e = env();
    const reg = { id: `reg-${crypto.randomUUID()}`, sku: "Basic" };
    node(e);
    assert.deepEqual(await allowed(2, () => throttleRegistry(reg, "read")), [true, true]);
    node(e);
    assert.deepEqual(await allowed(3, () => throttleRegistry(reg, "read")), [true, true, false]);
    // Writes are a budget of their own, and another registry is untouched.
    assert.deepEqual(await allowed(3, () => throttleRegistry(reg, "write")), [true, true, false]);
    assert.equal((await throttleRegistry({ id: `reg-${crypto.randomUUID()}`, sku: "Basic" }, "read")).allowed, true);
  });

  test("anonymous calls from one address share a budget across nodes", async () => {
    const e = env();
    const ip = `198.51.100.${crypto.randomInt(1, 250)}-${crypto.randomUUID()}`;
    node(e);
    assert.deepEqual(await allowed(2, () => throttleAnonymous(ip)), [true, true]);
    node(e);
    assert.deepEqual(await allowed(2, () => throttleAnonymous(ip)), [true, false]);
  });
}

describe("rate limits in Redis", { skip: REDIS ? false : "WHARF_TEST_REDIS_URL is not set" }, () => {
  const prefix = `test-${crypto.randomBytes(4).toString("hex")}:`;
  oneBudgetAcrossNodes(() => ({ WHARF_REDIS_URL: REDIS, WHARF_REDIS_KEY_PREFIX: prefix }));

  test("another key prefix (another deployment on the same Redis) has a budget of its own", async () => {
    const reg = { id: `reg-${crypto.randomUUID()}`, sku: "Basic" };
    node({ WHARF_REDIS_URL: REDIS, WHARF_REDIS_KEY_PREFIX: `${prefix}a:` });
    assert.deepEqual(await allowed(5, () => throttleRegistry(reg, "read")), [true, true, true, true, false]);
    node({ WHARF_REDIS_URL: REDIS, WHARF_REDIS_KEY_PREFIX: `${prefix}b:` });
    assert.equal((await throttleRegistry(reg, "read")).allowed, true);
  });
});

describe("rate limits in PostgreSQL (no Redis)", { skip: PG ? false : "WHARF_TEST_POSTGRES_URL is not set" }, () => {
  oneBudgetAcrossNodes(() => ({ WHARF_DATABASE_URL: PG }));
});

test("Redis down: requests are answered from this node's memory, still limited, never failed", async () => {
  // Nothing listens on this port (the test range's last one is kept free).
  node({ WHARF_REDIS_URL: "redis://127.0.0.1:6389", WHARF_LOG_LEVEL: "error" });
  const reg = { id: `reg-${crypto.randomUUID()}`, sku: "Basic" };
  assert.deepEqual(await allowed(5, () => throttleRegistry(reg, "read")), [true, true, true, true, false]);
});
