import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../core/config";
import { startContext } from "../core/context";
import { hashPassword, needsRehash, parsePasswordHash, randomSecret, sha256Hex, verifyPassword } from "./password";

const context = (env: Record<string, string> = {}) =>
  startContext(parseConfig({ WHARF_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "wharf-password-")), ...env }));

/** A hash as the code before PHC strings wrote it: `scrypt$N$r$p$salt$hash`, base64url. */
function legacyHash(password: string, N = 32768): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password, salt, 32, { N, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ["scrypt", N, 8, 1, salt.toString("base64url"), hash.toString("base64url")].join("$");
}

test("new hashes are PHC strings at OWASP's cost (N=2^17, r=8, p=1), salted, and verify only the right password", async () => {
  context();
  const a = await hashPassword("correct horse");
  const b = await hashPassword("correct horse");
  assert.notEqual(a, b);
  assert.match(a, /^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.equal(await verifyPassword("correct horse", a), true);
  assert.equal(await verifyPassword("correct horsf", a), false);
  assert.equal(await verifyPassword("x", "not-a-hash"), false);
  assert.equal(needsRehash(a), false);
});

test("hashes in the old format still verify, and ask to be rehashed", async () => {
  context({ WHARF_PASSWORD_SCRYPT_LN: "14" });
  const old = legacyHash("old but fine");
  assert.equal(await verifyPassword("old but fine", old), true);
  assert.equal(await verifyPassword("old but wrong", old), false);
  assert.equal(needsRehash(old), true);
  assert.equal(parsePasswordHash(old)?.params.ln, 15);
});

test("a change of cost asks for a rehash; a damaged or absurd cost is not a hash", async () => {
  context({ WHARF_PASSWORD_SCRYPT_LN: "14" });
  const at14 = await hashPassword("pw");
  assert.equal(needsRehash(at14), false);
  context({ WHARF_PASSWORD_SCRYPT_LN: "15" });
  assert.equal(needsRehash(at14), true);
  assert.equal(await verifyPassword("pw", at14), true, "the old cost keeps working");
  assert.equal(parsePasswordHash(at14.replace("ln=14", "ln=30")), null);
  assert.equal(await verifyPassword("pw", at14.replace("ln=14", "ln=30")), false);
});

test("password hashing never holds up file reads (it runs off libuv's thread pool)", async () => {
  context({ WHARF_PASSWORD_SCRYPT_LN: "14" });
  const file = path.join(os.tmpdir(), `wharf-read-${process.pid}`);
  fs.writeFileSync(file, "x");
  const stored = legacyHash("secret", 16384);
  const order: string[] = [];
  // More hashes than libuv has threads (4): were they on its pool, the read would queue behind them.
  const hashes = Array.from({ length: 8 }, (_, i) => verifyPassword(`guess-${i}`, stored).then(() => order.push("hash")));
  const read = fs.promises.readFile(file).then(() => order.push("read"));
  await Promise.all([...hashes, read]);
  fs.rmSync(file);
  assert.equal(order[0], "read", `completion order: ${order.join(", ")}`);
});

test("machine secrets are long and hash deterministically", () => {
  const s = randomSecret();
  assert.ok(s.length >= 40);
  assert.equal(sha256Hex(s), sha256Hex(s));
  assert.notEqual(sha256Hex(s), sha256Hex(randomSecret()));
});
