import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { config, context, slot } from "../core/context";
import { skuLimits } from "../core/skus";

/**
 * Per-registry read/write operations per minute by SKU, and a per-address limit
 * for anonymous calls. Memory store for one node; a shared store (Redis or the
 * database) slots in here when several nodes share the load.
 */
export type ThrottleResult = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
};

const limiters = slot("throttle", () => new Map<string, RateLimiterMemory>());

function limiter(kind: string, points: number): RateLimiterMemory {
  const map = context().get(limiters);
  const id = `${kind}:${points}`;
  let l = map.get(id);
  if (!l) {
    l = new RateLimiterMemory({ keyPrefix: id, points, duration: 60 });
    map.set(id, l);
  }
  return l;
}

async function consume(l: RateLimiterMemory, key: string, limit: number): Promise<ThrottleResult> {
  try {
    const r = await l.consume(key, 1);
    return { allowed: true, limit, remaining: r.remainingPoints, resetSeconds: Math.ceil(r.msBeforeNext / 1000) };
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      return { allowed: false, limit, remaining: 0, resetSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
    }
    throw err;
  }
}

export function throttleRegistry(reg: { id: string; sku: string }, kind: "read" | "write"): Promise<ThrottleResult> {
  const limits = skuLimits(reg.sku);
  const points = kind === "read" ? limits.readOpsPerMinute : limits.writeOpsPerMinute;
  return consume(limiter(`registry-${kind}`, points), reg.id, points);
}

export function throttleAnonymous(clientIp: string): Promise<ThrottleResult> {
  const points = config().WHARF_ANONYMOUS_RATE_PER_MINUTE;
  return consume(limiter("anonymous", points), clientIp, points);
}

/** Headers for a throttled (or metered) answer: RateLimit-* always, Retry-After when refused. */
export function throttleHeaders(r: ThrottleResult): Record<string, string> {
  const h: Record<string, string> = {
    "RateLimit-Limit": String(r.limit),
    "RateLimit-Remaining": String(r.remaining),
    "RateLimit-Reset": String(r.resetSeconds),
  };
  if (!r.allowed) h["Retry-After"] = String(r.resetSeconds);
  return h;
}
