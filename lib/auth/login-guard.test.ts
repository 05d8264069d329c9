import { before, test } from "node:test";
import assert from "node:assert/strict";
import { useTempDatabase } from "../../test/helpers/test-db";
import { db } from "../core/db";
import { basicLogin } from "./principal";
import { guardedPasswordCheck, loginBlock } from "./login-guard";
import { MemoryAttemptBudgets } from "./attempt-budget";
import { reserveInTurn, wakeNext } from "./budget-turn";
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
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => guardedPasswordCheck("portal", "192.0.2.1", `user${i}`, "guess", slowFailure)));
  assert.equal(checks, 5, "only the budget's worth of attempts reached the check");
  const refused = results.filter((r) => "refused" in r);
  assert.equal(refused.length, 15);
  assert.ok(refused.every((r) => "refused" in r && r.refused === "address" && r.retryAfterSeconds >= 1));
  assert.equal((await loginBlock("portal", "192.0.2.1"))?.refused, "address", "five failures block the address");
  assert.equal(await loginBlock("portal", "192.0.2.2"), null, "other addresses are not affected");
});

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

test("a burst of right passwords beyond the address's budget is checked in turns: none refused, nothing spent", async () => {
  let running = 0;
  let most = 0;
  let checks = 0;
  const slowSuccess = async () => {
    checks++;
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return { id: "x" };
  };
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => guardedPasswordCheck("portal", "192.0.2.50", `ci${i}`, "right", slowSuccess)));
  assert.deepEqual(results, Array(20).fill({ value: { id: "x" } }));
  assert.equal(checks, 20);
  assert.ok(most <= 5, `${most} checks ran at once; the address's budget is 5`);
  assert.equal(await loginBlock("portal", "192.0.2.50"), null);
});

test("checks in flight do not make the address or the username look blocked", async () => {
  // Username budget 4: four checks run and hold all of it; the fifth waits holding the address's fifth point.
  const g = gate();
  const allStarted = gate();
  let started = 0;
  const check = () => (++started === 4 && allStarted.open(), g.opened.then(() => ({ id: "c" })));
  const inFlight = Array.from({ length: 5 }, (_, i) => guardedPasswordCheck("portal", "192.0.2.51", "carol", `p${i}`, check));
  await allStarted.opened;
  assert.equal(await loginBlock("portal", "192.0.2.51", "carol"), null);
  assert.equal(await loginBlock("token", "192.0.2.51", "carol"), null);
  g.open();
  assert.deepEqual(await Promise.all(inFlight), Array(5).fill({ value: { id: "c" } }));
  assert.equal(started, 5);
});

test("identical attempts at the same moment share one check and one point", async () => {
  let checks = 0;
  const g = gate();
  const check = () => (checks++, g.opened.then(() => ({ id: "ci" })));
  const same = Array.from({ length: 30 }, () => guardedPasswordCheck("token", "192.0.2.52", "CI ", "same-secret", check));
  const other = guardedPasswordCheck("token", "192.0.2.52", "ci", "other-secret", check);
  g.open();
  assert.deepEqual(await Promise.all(same), Array(30).fill({ value: { id: "ci" } }));
  await other;
  assert.equal(checks, 2, "one check for the 30 identical attempts, one for the different password");
});

test("a turn is given when an attempt in flight ends on this node, and refused as a timeout past the deadline", async () => {
  const store = new MemoryAttemptBudgets();
  const rule = { name: "turn", max: 2, windowSeconds: 60, blockSeconds: 60 };
  for (let i = 0; i < 2; i++) assert.deepEqual(await store.reserve(rule, "k"), { ok: true });
  assert.equal(await reserveInTurn(store, rule, "k", Date.now()), "timeout");
  const waiting = reserveInTurn(store, rule, "k", Date.now() + 60_000);
  await store.settle(rule, "k", false);
  wakeNext(rule, "k");
  assert.deepEqual(await waiting, { ok: true });
  // Two failures spend the budget: a waiter is refused, not kept waiting.
  const refused = reserveInTurn(store, rule, "k", Date.now() + 60_000);
  await store.settle(rule, "k", true);
  await store.settle(rule, "k", true);
  wakeNext(rule, "k");
  const verdict = await refused;
  assert.ok(verdict !== "timeout" && !verdict.ok && !verdict.inFlight, JSON.stringify(verdict));
});

test("a username is protected across addresses, and a success gives its point back", async () => {
  const ok = async () => ({ id: "x" });
  for (let i = 0; i < 10; i++) assert.deepEqual(await guardedPasswordCheck("portal", "198.51.100.1", "bob", "right", ok), { value: { id: "x" } });
  for (let i = 0; i < 4; i++) await guardedPasswordCheck("portal", `198.51.100.${10 + i}`, "bob", `guess-${i}`, async () => null);
  const refused = await guardedPasswordCheck("portal", "198.51.100.99", "BOB", "right", ok);
  assert.ok("refused" in refused && refused.refused === "username");
  assert.equal((await loginBlock("token", "203.0.113.1", "bob"))?.refused, "username", "both doors share the username's budget");
});

test("when too many checks wait for the hash pool, an attempt is refused as busy and not counted as a failure", async () => {
  const pool = hashPool();
  const job = { password: "p", salt: Buffer.alloc(16), N: 2 ** 14, r: 8, p: 1, keyLength: 32 };
  const filling = Array.from({ length: 4 }, () => pool.run(job, { limited: true })); // 1 running + 3 waiting
  const busy = await guardedPasswordCheck("token", "203.0.113.5", "alice", "p", () => pool.run(job, { limited: true }).then(() => null));
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
