import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { config, context, slot } from "../core/context";

/**
 * Portal sign-in throttling per client address: more than
 * WHARF_LOGIN_MAX_FAILURES failed attempts within a minute blocks the address
 * for WHARF_LOGIN_BLOCK_SECONDS. Only failures count, so a person who signs in
 * correctly is never slowed down; a success does not reset the count, so one
 * known account cannot be used to keep guessing others.
 *
 * The state is in memory (one node).
 */
export type LoginThrottleState = { blocked: false } | { blocked: true; retryAfterSeconds: number };

type Limits = { maxFailures: number; blockSeconds: number };

const held = slot("loginThrottle", () => ({ current: undefined as { limits: Limits; limiter: RateLimiterMemory } | undefined }));

function limiter(limits: Limits = currentLimits()): RateLimiterMemory {
  const state = context().get(held);
  const h = state.current;
  if (!h || h.limits.maxFailures !== limits.maxFailures || h.limits.blockSeconds !== limits.blockSeconds) {
    state.current = {
      limits,
      limiter: new RateLimiterMemory({
        keyPrefix: "portal-login",
        points: limits.maxFailures,
        duration: 60,
        blockDuration: limits.blockSeconds,
      }),
    };
  }
  return state.current!.limiter;
}

function currentLimits(): Limits {
  const c = config();
  return { maxFailures: c.WHARF_LOGIN_MAX_FAILURES, blockSeconds: c.WHARF_LOGIN_BLOCK_SECONDS };
}

function blockedState(res: RateLimiterRes): LoginThrottleState {
  return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Whether sign-in attempts from this address are refused right now. */
export async function loginThrottleState(address: string, limits?: Limits): Promise<LoginThrottleState> {
  const l = limiter(limits);
  const res = await l.get(address);
  if (res && res.consumedPoints > l.points && res.msBeforeNext > 0) return blockedState(res);
  return { blocked: false };
}

/** Counts one failed attempt; answers whether the address is now blocked. */
export async function recordLoginFailure(address: string, limits?: Limits): Promise<LoginThrottleState> {
  try {
    await limiter(limits).consume(address);
    return { blocked: false };
  } catch (rejected) {
    if (rejected instanceof RateLimiterRes) return blockedState(rejected);
    throw rejected;
  }
}

/** The message shown to a blocked address (whole minutes, rounded up). */
export function loginThrottleMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many failed sign-in attempts from your address. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}
