import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const migrate = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(root, "scripts", "migrate.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });

test("deploy applies every migration once, status reports it, a second deploy is a no-op", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-migrate-"));
  const env = { WHARF_DATA_DIR: dataDir };
  const before = migrate(["status"], env);
  assert.equal(before.status, 0, before.stderr);
  assert.match(before.stdout, /pending/);
  const first = migrate(["deploy"], env);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /Applied \d+ migration/);
  const second = migrate(["deploy"], env);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /Database is up to date/);
  const status = migrate(["status"], env);
  assert.doesNotMatch(status.stdout, /^pending/m);
  assert.ok(fs.existsSync(path.join(dataDir, "wharf.db")));
});

test("check passes when the migrations match the schema", () => {
  const r = migrate(["check"], {});
  assert.equal(r.status, 0, r.stderr);
});

test("an unknown command explains the usage", () => {
  const r = migrate(["frobnicate"], {});
  assert.equal(r.status, 1);
  assert.match(r.stderr, /usage: migrate/);
});
