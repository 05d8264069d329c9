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

test("on PostgreSQL, deploy applies prisma/migrations-postgresql once and status reports it", { skip: !process.env.WHARF_TEST_POSTGRES_URL && "needs WHARF_TEST_POSTGRES_URL" }, async () => {
  const { createTestDatabase, dropTestDatabase } = await import("../test/helpers/test-postgres");
  const pg = (await import("pg")).default;
  // An empty database (not the migrated template copy): the tool must build it from nothing.
  const name = `wharf_t_${Date.now().toString(16)}${process.pid.toString(16)}`;
  const admin = new pg.Client({ connectionString: process.env.WHARF_TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(process.env.WHARF_TEST_POSTGRES_URL!);
  url.pathname = `/${name}`;
  const env = { WHARF_DATABASE_URL: url.toString() };
  try {
    const before = migrate(["status"], env);
    assert.equal(before.status, 0, before.stderr);
    assert.match(before.stdout, /^pending/m);
    const first = migrate(["deploy"], env);
    assert.equal(first.status, 0, first.stderr);
    const folders = fs.readdirSync(path.join(root, "prisma", "migrations-postgresql")).filter((d) => /^\d{14}_/.test(d));
    assert.match(first.stdout, new RegExp(`Applied ${folders.length} migration\\(s\\): ${folders.sort().join(", ")}`));
    const second = migrate(["deploy"], env);
    assert.match(second.stdout, /Database is up to date/);
    assert.doesNotMatch(migrate(["status"], env).stdout, /^pending/m);
    // A copy of the migrated template is already up to date.
    const copy = await createTestDatabase();
    try {
      assert.match(migrate(["status"], copy).stdout, /Database is up to date/);
    } finally {
      await dropTestDatabase(copy);
    }
  } finally {
    await dropTestDatabase(env);
  }
});

test("the PostgreSQL schema copy swaps the provider and client folder and refuses what only one engine supports", async () => {
  const { postgresSchemaText } = await import(path.join(root, "scripts", "pg-schema.mjs"));
  const source = fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
  const copy: string = postgresSchemaText(source);
  assert.match(copy, /provider = "postgresql"/);
  assert.match(copy, /output\s*=\s*"\.\.\/\.\.\/lib\/generated\/prisma-pg"/);
  assert.equal(copy, fs.readFileSync(path.join(root, "prisma", "postgresql", "schema.prisma"), "utf8"), "the committed copy is current");
  assert.throws(() => postgresSchemaText(source.replace("model User {", "model User {\n  tags String[]")), /String\[\]/);
  assert.throws(() => postgresSchemaText(source.replace("username     String   @unique", "username     String   @unique @db.VarChar(64)")), /@db\.VarChar/);
});
