import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { parseConfig } from "../core/config";
import { Context } from "../core/context";
import { KeyedLock } from "./keyed-lock";
import { RedisLock, sharedLock, type SharedLock } from "./shared-lock";

const PG = process.env.WHARF_TEST_POSTGRES_URL;
const REDIS = process.env.WHARF_TEST_REDIS_URL;

/** A "node": a context of its own (its own pool, its own lock connection) on the shared database. */
const node = () => new Context(parseConfig({ WHARF_DATA_DIR: "/tmp/wharf-shared-lock-test", WHARF_DATABASE_URL: PG, WHARF_LOG_LEVEL: "error" }));
const key = () => crypto.randomUUID();

/**
 * Node A takes the key and keeps it until told; node B asks meanwhile. What each did, in order: B must enter
 * only after A has left (A holds on well after B asked, so an unprotected B would enter in between).
 */
async function contend(a: SharedLock, b: SharedLock, k: string, holdMs = 100): Promise<string[]> {
  const log: string[] = [];
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const first = a.run(k, async () => {
    log.push("A in");
    entered();
    await new Promise((r) => setTimeout(r, holdMs));
    log.push("A out");
  });
  await inside;
  log.push("B asks");
  await b.run(k, async () => void log.push("B in"));
  await first;
  return log;
}

describe("cross-node lock on PostgreSQL advisory locks", { skip: PG ? false : "WHARF_TEST_POSTGRES_URL is not set" }, () => {
  const contexts: Context[] = [];
  after(() => Promise.all(contexts.map((c) => c.close())));
  const twoNodes = () => {
    const [a, b] = [node(), node()];
    contexts.push(a, b);
    return [sharedLock("upload-session", a), sharedLock("upload-session", b)];
  };

  test("a key held on node A blocks node B until A lets go", async () => {
    const [a, b] = twoNodes();
    assert.ok(!(a instanceof KeyedLock), "PostgreSQL gets the advisory lock, not memory");
    assert.deepEqual(await contend(a, b, key()), ["A in", "B asks", "A out", "B in"]);
  });

  test("other keys do not wait, and a failing holder still releases", async () => {
    const [a, b] = twoNodes();
    const k = key();
    await assert.rejects(a.run(k, async () => Promise.reject(new Error("chunk failed"))), /chunk failed/);
    assert.equal(await b.run(k, async () => "taken"), "taken");
    let release!: () => void;
    const held = a.run(k, () => new Promise<void>((r) => (release = r)));
    assert.equal(await b.run(key(), async () => "other key"), "other key");
    release();
    await held;
  });

  test("a node that dies holding a key releases it at once (the lock lives with its connection)", async () => {
    const [a, b] = twoNodes();
    const k = key();
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const dying = a.run(k, () => {
      entered();
      return new Promise<void>(() => undefined); // never finishes: the node is gone
    });
    void dying;
    await inside;
    await contexts[contexts.length - 2].close(); // node A's pool and lock connection end, as when its process dies
    assert.equal(await b.run(k, async () => "taken over"), "taken over");
  });
});

describe("Redis lock (measured against advisory locks)", { skip: REDIS ? false : "WHARF_TEST_REDIS_URL is not set" }, () => {
  const clients: Redis[] = [];
  after(() => clients.forEach((c) => c.disconnect()));
  const prefix = `test-${crypto.randomBytes(4).toString("hex")}:`;
  const lockOn = (ttlMs?: number) => {
    const c = new Redis(REDIS!);
    clients.push(c);
    return new RedisLock(c, (k) => `${prefix}${k}`, ttlMs);
  };

  test("a key held on node A blocks node B", async () => {
    assert.deepEqual(await contend(lockOn(), lockOn(), key()), ["A in", "B asks", "A out", "B in"]);
  });

  test("a holder working past the expiry keeps the key by renewing it", async () => {
    // 150 ms expiry, renewed every 50 ms, held for 600 ms: without renewal B would enter at ~150 ms.
    assert.deepEqual(await contend(lockOn(150), lockOn(150), key(), 600), ["A in", "B asks", "A out", "B in"]);
  });

  test("release removes only the holder's own key", async () => {
    const c = new Redis(REDIS!);
    clients.push(c);
    const k = key();
    const lock = new RedisLock(c, (x) => `${prefix}${x}`, 100_000);
    await lock.run(k, async () => {
      await c.set(`${prefix}${k}`, "someone-else"); // as if ours had expired and another node took it
    });
    assert.equal(await c.get(`${prefix}${k}`), "someone-else");
  });
});

test("on SQLite (one node) the lock is this process's memory", () => {
  const ctx = new Context(parseConfig({ WHARF_DATA_DIR: "/tmp/wharf-shared-lock-test" }));
  assert.ok(sharedLock("upload-session", ctx) instanceof KeyedLock);
});
