import { Redis } from "ioredis";
import { context, slot } from "./context";
import { logger } from "./logging";

/**
 * The context's Redis client when WHARF_REDIS_URL is set (several nodes share rate-limit budgets and locks through
 * it), else null. Every key goes through `redisKey`, under WHARF_REDIS_KEY_PREFIX, so deployments (and test
 * servers) sharing one Redis never share a budget or a lock.
 *
 * A Redis that is down must not stall requests: commands time out after 500 ms and are not retried, and callers
 * fall back to this node's memory (throttle.ts, attempt-budget-redis.ts) or to the database (locks).
 */
type Held = { client: Redis; prefix: string; started: Promise<void> };

const redisSlot = slot<Held | null>(
  "redis",
  (ctx) => {
    const url = ctx.config.WHARF_REDIS_URL;
    if (!url) return null;
    const client = new Redis(url, {
      commandTimeout: 500,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // Reconnect for ever, at most every 2 s: Redis coming back must heal the node without a restart.
      retryStrategy: (times) => Math.min(times * 100, 2000),
    });
    let warned = false;
    client.on("error", (err) => {
      if (warned) return;
      warned = true; // once per outage, not once per reconnect attempt
      logger().warn({ err: err.message }, "redis unreachable: rate limits fall back to this node's memory until it is back");
    });
    client.on("ready", () => {
      if (warned) logger().info("redis reachable again");
      warned = false;
    });
    // A node's first requests wait for the first connection (or its failure), instead of falling back to memory
    // only because the client was still connecting.
    const started = new Promise<void>((resolve) => {
      client.once("ready", () => resolve());
      client.once("error", () => resolve());
      setTimeout(resolve, 2000).unref();
    });
    return { client, prefix: ctx.config.WHARF_REDIS_KEY_PREFIX, started };
  },
  async (held) => {
    if (!held) return;
    await held.client.quit().catch(() => held.client.disconnect());
  },
);

/** The shared Redis client, or null when WHARF_REDIS_URL is not set. */
export function redis(): Redis | null {
  return context().get(redisSlot)?.client ?? null;
}

/** Resolves once the client first connected or failed to (at most 2 s after it was created). */
export function redisStarted(): Promise<void> {
  return context().get(redisSlot)?.started ?? Promise.resolve();
}

/** A key (or channel) under this deployment's prefix. */
export function redisKey(...parts: string[]): string {
  const held = context().get(redisSlot);
  return `${held?.prefix ?? context().config.WHARF_REDIS_KEY_PREFIX}${parts.join(":")}`;
}
