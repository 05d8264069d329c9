import { test } from "node:test";
import assert from "node:assert/strict";
import { hashPassword, randomSecret, sha256Hex, verifyPassword } from "./password";

test("scrypt hashes verify only the right password and are salted", async () => {
  const a = await hashPassword("correct horse");
  const b = await hashPassword("correct horse");
  assert.notEqual(a, b);
  assert.match(a, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword("correct horse", a), true);
  assert.equal(await verifyPassword("correct horsf", a), false);
  assert.equal(await verifyPassword("x", "not-a-hash"), false);
});

test("machine secrets are long and hash deterministically", () => {
  const s = randomSecret();
  assert.ok(s.length >= 40);
  assert.equal(sha256Hex(s), sha256Hex(s));
  assert.notEqual(sha256Hex(s), sha256Hex(randomSecret()));
});
