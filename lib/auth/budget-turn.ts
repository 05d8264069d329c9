import { context, slot } from "../core/context";
import type { AttemptBudgetStore, BudgetRule, BudgetVerdict } from "./attempt-budget";

/**
 * Waiting for a point of a failure budget that attempts still being checked hold.
 * Such a point is not a failure: refusing the attempt would answer "too many failed
 * logins" to a CI fleet whose runners all log in with the right password at once.
 * Instead the attempt waits until a point comes back (a success gives its point
 * back) or the key gets blocked (failures keep theirs), then goes on. A burst of
 * wrong passwords still has at most the budget's worth checked: the rest wait,
 * and are refused once those fail.
 *
 * A settle on this node wakes the oldest waiter of that key at once; settles on
 * other nodes are noticed by asking the store again every few hundred ms. The
 * waiters are only a hint: the store (one for all nodes) decides every turn.
 */
export const TURN_POLL_MS = [100, 300] as const;

type Waiter = () => void;
const queues = slot("loginBudgetWaiters", () => new Map<string, Waiter[]>());

const id = (rule: BudgetRule, key: string) => `${rule.name}\0${key}`;

/** Reserves a point, waiting while in-flight attempts hold the budget; "timeout" when `deadline` (epoch ms) passes first. */
export async function reserveInTurn(store: AttemptBudgetStore, rule: BudgetRule, key: string, deadline: number): Promise<BudgetVerdict | "timeout"> {
  for (;;) {
    const verdict = await store.reserve(rule, key);
    if (verdict.ok) return verdict;
    if (!verdict.inFlight) {
      wakeNext(rule, key); // blocked: the next waiter is refused too, without waiting for its poll
      return verdict;
    }
    const left = deadline - Date.now();
    if (left <= 0) return "timeout";
    const [lo, hi] = TURN_POLL_MS;
    await waitForTurn(rule, key, Math.min(left, lo + Math.random() * (hi - lo)));
  }
}

/** Tells this node's waiters of the key that an attempt ended (call after the store's settle). */
export function wakeNext(rule: BudgetRule, key: string): void {
  const queue = context().get(queues).get(id(rule, key));
  queue?.shift()?.();
}

function waitForTurn(rule: BudgetRule, key: string, ms: number): Promise<void> {
  const map = context().get(queues);
  const k = id(rule, key);
  return new Promise<void>((resolve) => {
    const queue = map.get(k) ?? [];
    map.set(k, queue);
    const done = () => {
      clearTimeout(timer);
      const i = queue.indexOf(done);
      if (i >= 0) queue.splice(i, 1);
      if (queue.length === 0 && map.get(k) === queue) map.delete(k);
      resolve();
    };
    const timer = setTimeout(done, ms);
    queue.push(done);
  });
}
