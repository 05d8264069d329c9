/**
 * Failure budgets: how many failed attempts a key (a client address, a username)
 * may make within a window before it is blocked for a while. An attempt takes a
 * point *before* the expensive check (reserve) and gives it back when it succeeds
 * (settle), so a burst of parallel guesses never has more checks running than the
 * budget has points, instead of being hashed first and counted afterwards. A point
 * held by an attempt in flight is not a failure: the refusal says so (`inFlight`),
 * and the login guard waits for its turn rather than refusing a right password.
 *
 * Only this interface is used by callers. The store below keeps the counts in
 * this node's memory (SQLite: one node); on PostgreSQL the budgets live in the
 * database, one for all nodes (attempt-budget-pg.ts), with the same rules
 * (`judgeEntry`, `settleEntry`).
 */
export type BudgetRule = {
  /** Separates budgets of different kinds that may share keys. */
  name: string;
  /** Failures (plus attempts still in flight) allowed per window. */
  max: number;
  windowSeconds: number;
  /** How long a key stays refused once it has spent its budget. */
  blockSeconds: number;
};

/**
 * `inFlight`: refused only because attempts still being checked hold the rest of
 * the budget. Nothing failed yet; the caller may wait for its turn (budget-turn.ts).
 */
export type BudgetVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; inFlight?: true };

export interface AttemptBudgetStore {
  /** Takes one point for an attempt about to be made; refuses when the budget is spent or the key blocked. */
  reserve(rule: BudgetRule, key: string): Promise<BudgetVerdict>;
  /** Ends a reserved attempt: a success gives its point back, a failure keeps it (and may block the key). */
  settle(rule: BudgetRule, key: string, failed: boolean): Promise<void>;
  /** What reserve would answer now, without taking anything. */
  peek(rule: BudgetRule, key: string): Promise<BudgetVerdict>;
}

export type Entry = { windowEnds: number; failures: number; inFlight: number; blockedUntil: number };

const refuse = (ms: number, inFlight?: true): BudgetVerdict => ({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)), ...(inFlight && { inFlight }) });

export class MemoryAttemptBudgets implements AttemptBudgetStore {
  private readonly entries = new Map<string, Entry>();
  private operations = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async reserve(rule: BudgetRule, key: string): Promise<BudgetVerdict> {
    const verdict = this.judge(rule, key);
    if (verdict.ok) this.entry(rule, key).inFlight++;
    return verdict;
  }

  async settle(rule: BudgetRule, key: string, failed: boolean): Promise<void> {
    settleEntry(rule, this.entry(rule, key), failed, this.now());
  }

  async peek(rule: BudgetRule, key: string): Promise<BudgetVerdict> {
    return this.judge(rule, key);
  }

  /** Keys held (tests check that idle ones are dropped). */
  get size(): number {
    return this.entries.size;
  }

  private judge(rule: BudgetRule, key: string): BudgetVerdict {
    return judgeEntry(rule, this.entry(rule, key), this.now());
  }

  private entry(rule: BudgetRule, key: string): Entry {
    const now = this.now();
    if (++this.operations % 1000 === 0) this.sweep(now);
    const id = `${rule.name}\0${key}`;
    let e = this.entries.get(id);
    if (!e) {
      e = { windowEnds: now + rule.windowSeconds * 1000, failures: 0, inFlight: 0, blockedUntil: 0 };
      this.entries.set(id, e);
    } else if (e.windowEnds <= now) {
      e.windowEnds = now + rule.windowSeconds * 1000;
      e.failures = 0;
    }
    return e;
  }

  /** Drops keys with nothing left to remember, so a spray of usernames cannot grow memory for ever. */
  private sweep(now: number): void {
    for (const [id, e] of this.entries) {
      if (e.inFlight === 0 && e.blockedUntil <= now && (e.windowEnds <= now || e.failures === 0)) this.entries.delete(id);
    }
  }
}

/** Whether a key with this entry may make an attempt now. */
export function judgeEntry(rule: BudgetRule, e: Entry, now: number): BudgetVerdict {
  if (e.blockedUntil > now) return refuse(e.blockedUntil - now);
  if (e.failures >= rule.max) return refuse(e.windowEnds - now);
  if (e.failures + e.inFlight >= rule.max) return refuse(e.windowEnds - now, true);
  return { ok: true };
}

/** Ends an attempt on the entry: a success gives its point back, a failure keeps it and may block the key. */
export function settleEntry(rule: BudgetRule, e: Entry, failed: boolean, now: number): void {
  e.inFlight = Math.max(0, e.inFlight - 1);
  if (!failed) return;
  e.failures++;
  if (e.failures >= rule.max) e.blockedUntil = now + rule.blockSeconds * 1000;
}

/**
 * The budget key of a client address: IPv4 as is, IPv6 by its /64 (one host is
 * usually given a whole /64, so counting single IPv6 addresses counts nothing).
 */
export function addressBudgetKey(address: string): string {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1];
  if (!a.includes(":")) return a;
  const [head, tail = ""] = a.split("::");
  const left = head ? head.split(":") : [];
  const right = a.includes("::") && tail ? tail.split(":") : [];
  if (right.length && right[right.length - 1].includes(".")) right.splice(-1, 1, "0", "0"); // embedded IPv4: not in the /64
  const groups = a.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return a;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
