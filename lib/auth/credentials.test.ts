import { before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { checkUserPassword } from "./credentials";
import { hashPassword } from "./password";

// A lower cost than production keeps this file quick; what is compared is a ratio.
before(async () => {
  await useTempDatabase({ WHARF_PASSWORD_SCRYPT_LN: "14" });
  await db().user.create({ data: { username: "known", passwordHash: await hashPassword("known-password") } });
  await db().user.create({ data: { username: "off", passwordHash: await hashPassword("off-password"), disabled: true } });
});

async function elapsedMs(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("an unknown or disabled username costs what a known one costs (timing does not reveal which exist)", async () => {
  const known: number[] = [], unknown: number[] = [], disabled: number[] = [];
  await checkUserPassword("known", "warm-up");
  await checkUserPassword("nobody", "warm-up");
  for (let i = 0; i < 15; i++) {
    // Interleaved, so load from elsewhere on the machine hits all three alike.
    known.push(await elapsedMs(() => checkUserPassword("known", `guess-${i}`)));
    unknown.push(await elapsedMs(() => checkUserPassword(`nobody-${i}`, `guess-${i}`)));
    disabled.push(await elapsedMs(() => checkUserPassword("off", "off-password")));
  }
  const [k, u, d] = [median(known), median(unknown), median(disabled)];
  // Generous: the old dummy hash made unknown users ~40× faster; a real one costs the same.
  assert.ok(u > k / 3, `unknown user: median ${u.toFixed(1)} ms, known user: ${k.toFixed(1)} ms`);
  assert.ok(d > k / 3, `disabled user: median ${d.toFixed(1)} ms, known user: ${k.toFixed(1)} ms`);
  assert.equal(await checkUserPassword("off", "off-password"), null, "a disabled user never signs in");
});

test("every check hashes: no memory of earlier successes (no fast hash of a password is kept)", async () => {
  const { hashPool } = await import("./hash-pool");
  const before = hashPool().completed;
  for (let i = 0; i < 3; i++) assert.ok(await checkUserPassword("known", "known-password"));
  assert.equal(hashPool().completed - before, 3);
});

test("a hash in the old format is rehashed at the current cost on a successful sign-in, and keeps working", async () => {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync("legacy-password", salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  const legacy = ["scrypt", 32768, 8, 1, salt.toString("base64url"), hash.toString("base64url")].join("$");
  await db().user.create({ data: { username: "veteran", passwordHash: legacy } });
  const stored = async () => (await db().user.findUniqueOrThrow({ where: { username: "veteran" } })).passwordHash;

  assert.equal(await checkUserPassword("veteran", "wrong"), null);
  assert.equal(await stored(), legacy, "a failed sign-in changes nothing");
  const first = await checkUserPassword("veteran", "legacy-password");
  assert.ok(first);
  const now = await stored();
  assert.match(now, /^\$scrypt\$ln=14,r=8,p=1\$/);
  assert.ok(now.includes(salt.toString("base64").replace(/=+$/, "")), "the salt is kept, so sessions survive the rehash");
  const second = await checkUserPassword("veteran", "legacy-password");
  assert.ok(second);
  assert.equal(second.credential, first.credential);
  assert.equal(await checkUserPassword("veteran", "wrong"), null);
});
