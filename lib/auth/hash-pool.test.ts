import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { defaultHashWorkers, HashPool, HashPoolBusy } from "./hash-pool";

const job = (password: string) => ({ password, salt: Buffer.from("0123456789abcdef"), N: 2 ** 12, r: 8, p: 1, keyLength: 32 });

test("the pool computes what crypto.scrypt computes", async () => {
  const pool = new HashPool(1, 4);
  try {
    const key = await pool.run(job("pw"), { limited: true });
    assert.deepEqual(key, crypto.scryptSync("pw", Buffer.from("0123456789abcdef"), 32, { N: 2 ** 12, r: 8, p: 1 }));
  } finally {
    await pool.close();
  }
});

test("sign-in checks beyond the queue limit are refused at once with a retry time; new passwords still queue", async () => {
  const pool = new HashPool(1, 2);
  try {
    const accepted = [pool.run(job("a"), { limited: true }), pool.run(job("b"), { limited: true }), pool.run(job("c"), { limited: true })];
    assert.equal(pool.waiting, 2);
    await assert.rejects(pool.run(job("d"), { limited: true }), (err: unknown) => {
      assert.ok(err instanceof HashPoolBusy);
      assert.equal(err.code, "TOO_MANY_REQUESTS");
      assert.ok(err.retryAfterSeconds >= 1);
      return true;
    });
    const unlimited = pool.run(job("e"), { limited: false });
    assert.equal((await Promise.all([...accepted, unlimited])).length, 4);
    assert.equal(pool.completed, 4, "the refused check was never hashed");
  } finally {
    await pool.close();
  }
});

test("a small machine gets one hash worker", () => {
  assert.equal(defaultHashWorkers(2), 1);
  assert.equal(defaultHashWorkers(8), 2);
  assert.equal(defaultHashWorkers(64), 4);
});
