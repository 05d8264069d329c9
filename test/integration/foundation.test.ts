import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, startWharf, type Wharf } from "../helpers/wharf";

let wharf: Wharf;
before(async () => {
  wharf = await startWharf();
});
after(async () => {
  await wharf?.stop();
});

test("GET /v2/ without credentials answers the Bearer challenge", async () => {
  const res = await fetch(`${wharf.url}/v2/`);
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("docker-distribution-api-version"), "registry/2.0");
  assert.equal(res.headers.get("www-authenticate"), `Bearer realm="${wharf.url}/oauth2/token",service="${wharf.host}"`);
  const body = await res.json();
  assert.equal(body.errors[0].code, "UNAUTHORIZED");
});

test("the portal serves /login and sends signed-out visitors there", async () => {
  const login = await fetch(`${wharf.url}/login`);
  assert.equal(login.status, 200);
  assert.match(await login.text(), /Sign in/);
  const home = await fetch(`${wharf.url}/`, { redirect: "manual" });
  assert.ok([302, 303, 307, 308].includes(home.status), `expected a redirect, got ${home.status}`);
  assert.match(home.headers.get("location") ?? "", /\/login/);
});

test("state lives in the data dir: database, signing key, auth secret", () => {
  // On PostgreSQL the database lives on the server, not in the data dir.
  const files = wharf.env.WHARF_DATABASE_URL ? ["keys/auth-secret"] : ["wharf.db", "keys/auth-secret"];
  for (const f of files) assert.ok(fs.existsSync(path.join(wharf.dataDir, f)), f);
});

test("without WHARF_ADMIN_PASSWORD the first start prints a generated admin password once", async () => {
  const w = await startWharf({ env: { WHARF_ADMIN_PASSWORD: "" } });
  try {
    assert.match(w.output(), /Created user 'admin'\. Its password is shown only this once:\s+([A-Za-z0-9_-]{12,})/);
    const again = await w.restart();
    try {
      assert.doesNotMatch(again.output(), /Created user 'admin'/);
    } finally {
      await again.stop();
    }
  } finally {
    await w.stop();
  }
});

test("a bad configuration value stops start-up with a message naming the variable", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-badcfg-"));
  const r = spawnSync(process.execPath, [path.join(ROOT, "dist", "server.js")], {
    env: { ...process.env, PORT: "not-a-port", WHARF_DATA_DIR: dataDir },
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /PORT/);
});

test("a second server on the same data dir starts while the first runs (nothing to migrate, no lock fight)", async () => {
  const second = await startWharf({ dataDir: wharf.dataDir });
  try {
    assert.doesNotMatch(second.output(), /Applied migrations/);
    assert.equal((await fetch(`${second.url}/v2/`)).status, 401);
    assert.equal((await fetch(`${wharf.url}/v2/`)).status, 401);
  } finally {
    await second.stop();
  }
});
