import { before, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { basicLogin } from "./principal";
import { guardedPasswordCheck, loginBlock } from "./login-guard";
import { hashPool } from "./hash-pool";
import { hashPassword, sha256Hex } from "./password";

// Portal: 5 failures per address and minute; usernames: 4 failures. Token door: 30 per address.
before(async () => {
  await useTempDatabase({
    WHARF_PASSWORD_SCRYPT_LN: "12",
    WHARF_LOGIN_MAX_FAILURES: "5",
    WHARF_LOGIN_USERNAME_MAX_FAILURES: "4",
    WHARF_PASSWORD_HASH_WORKERS: "1",
    WHARF_PASSWORD_HASH_QUEUE: "3",
  });
  await db().user.create({ data: { username: "alice", passwordHash: await hashPassword("alice-password") } });
});

test("a parallel flood is refused before anything is checked, beyond the address's budget", async () => {
  let checks = 0;
  const slowFailure = async () => {
    checks++;
    await new Promise((r) => setTimeout(r, 50));
    return null;
  };
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => guardedPasswordCheck("portal", "192.0.2.1", `user${i}`, slowFailure)));
  assert.equal(checks, 5, "only the budget's worth of attempts reached the check");
  const refused = results.filter((r) => "refused" in r);
  assert.equal(refused.length, 15);
  assert.ok(refused.every((r) => "refused" in r && r.refused === "address" && r.retryAfterSeconds >= 1));
  assert.equal((await loginBlock("portal", "192.0.2.1"))?.refused, "address", "five failures block the address");
  assert.equal(await loginBlock("portal", "192.0.2.2"), null, "other addresses are not affected");
});

test("a username is protected across addresses, and a success gives its point back", async () => {
  const ok = async () => ({ id: "x" });
  for (let i = 0; i < 10; i++) assert.deepEqual(await guardedPasswordCheck("portal", "198.51.100.1", "bob", ok), { value: { id: "x" } });
  for (let i = 0; i < 4; i++) await guardedPasswordCheck("portal", `198.51.100.${10 + i}`, "bob", async () => null);
  const refused = await guardedPasswordCheck("portal", "198.51.100.99", "BOB", ok);
  assert.ok("refused" in refused && refused.refused === "username");
  assert.equal((await loginBlock("token", "203.0.113.1", "bob"))?.refused, "username", "both doors share the username's budget");
});

test("when too many checks wait for the hash pool, an attempt is refused as busy and not counted as a failure", async () => {
  const pool = hashPool();
  const job = { password: "p", salt: Buffer.alloc(16), N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
  const filling = Array.from({ length: 4 }, () => pool.run(job, { limited: true })); // 1 running + 3 waiting
  const busy = await guardedPasswordCheck("token", "203.0.113.5", "alice", () => pool.run(job, { limited: true }).then(() => null));
  assert.ok("refused" in busy && busy.refused === "busy");
  await Promise.all(filling);
  assert.equal(await loginBlock("token", "203.0.113.5", "alice"), null);
});

test("docker logins: machine secrets pass a blocked username, a blocked address is refused whatever it sends", async () => {
  const reg = await db().registry.create({ data: { name: "contoso", adminUserEnabled: true, adminPassword1Hash: sha256Hex("admin-secret") } });
  for (let i = 0; i < 4; i++) assert.equal(await basicLogin("contoso", `guess-${i}`, `203.0.113.${20 + i}`), null);
  assert.ok("refused" in ((await basicLogin("contoso", "guess-again", "203.0.113.30")) ?? {}), "the username is blocked for guesses");
  const admin = await basicLogin("contoso", "admin-secret", "203.0.113.31");
  assert.ok(admin && "kind" in admin && admin.kind === "admin" && admin.registryId === reg.id);

  for (let i = 0; i < 30; i++) await basicLogin(`nobody${i}`, "guess", "203.0.113.40");
  const refused = await basicLogin("contoso", "admin-secret", "203.0.113.40");
  assert.ok(refused && "refused" in refused && refused.refused === "address");
});
