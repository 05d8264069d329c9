import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import pg from "pg";
import { parseConfig } from "../core/config";
import { Context } from "../core/context";
import { changeVersion, type ChangeTopic } from "./change-feed";
import fs from "node:fs";
import path from "node:path";

/**
 * The change feed between nodes on a real PostgreSQL: a database of its own with the tables the triggers watch
 * (only the columns they name, plus ones they must ignore), the triggers applied from the migration itself.
 */
const CHANGE_FEED_SQL = fs.readFileSync(path.join(__dirname, "../../prisma/migrations-postgresql/20261130210000_change_feed/migration.sql"), "utf8");
const PG = process.env.WHARF_TEST_POSTGRES_URL;

const TABLES = `
CREATE TABLE "Registry" (id text PRIMARY KEY, name text, sku text);
CREATE TABLE "Repository" (id text PRIMARY KEY, name text, "registryId" text, "readEnabled" boolean);
CREATE TABLE "Tag" (id text PRIMARY KEY, name text, "repositoryId" text, "manifestId" text, "readEnabled" boolean);
CREATE TABLE "Manifest" (id text PRIMARY KEY, digest text, "repositoryId" text, "mediaType" text, size bigint, "readEnabled" boolean, "lastPulledAt" timestamp);
CREATE TABLE "BlobLink" ("repositoryId" text, digest text);
CREATE TABLE "Blob" (digest text PRIMARY KEY, size bigint, "claimedAt" timestamp);
CREATE TABLE "User" (id text PRIMARY KEY, disabled boolean);
CREATE TABLE "ServicePrincipal" (id text PRIMARY KEY);
CREATE TABLE "RoleAssignment" (id text PRIMARY KEY);
CREATE TABLE "RegistryToken" (id text PRIMARY KEY);
CREATE TABLE "ScopeMap" (id text PRIMARY KEY);
CREATE TABLE "ResourceGroup" (id text PRIMARY KEY);`;

async function until<T>(what: string, probe: () => T | Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await probe();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe("change feed over LISTEN/NOTIFY and polled sequences", { skip: PG ? false : "WHARF_TEST_POSTGRES_URL is not set" }, () => {
  const dbName = `wharf_feed_${crypto.randomBytes(4).toString("hex")}`;
  let url: string;
  let writer: pg.Pool; // node A's writes (any connection other than node B's)
  let nodeB: Context;
  const version = (t: ChangeTopic) => changeVersion(t, nodeB);
  const settled = (t: ChangeTopic) => until(`node B's ${t} feed`, () => version(t), (v) => v !== null) as Promise<number>;

  before(async () => {
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(PG!);
    u.pathname = `/${dbName}`;
    url = u.toString();
    writer = new pg.Pool({ connectionString: url, max: 2 });
    await writer.query(TABLES);
    await writer.query(CHANGE_FEED_SQL);
    await writer.query(CHANGE_FEED_SQL); // the migration may be applied over itself (CREATE OR REPLACE)
    nodeB = new Context(parseConfig({ WHARF_DATA_DIR: "/tmp/wharf-feed-test", WHARF_DATABASE_URL: url, WHARF_LOG_LEVEL: "error" }));
  });

  after(async () => {
    await nodeB?.close();
    await writer?.end();
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  test("a tag moved on node A moves node B's read version, not its credential version", async () => {
    const reads = await settled("reads");
    const credentials = await settled("credentials");
    await writer.query(`INSERT INTO "Tag" VALUES ('t1', 'v1', 'r1', 'm1', true)`);
    await until("the notification", () => version("reads"), (v) => v !== reads);
    assert.equal(version("credentials"), credentials);
  });

  test("pull bookkeeping and blob claims do not empty the caches; a read lock does", async () => {
    await writer.query(`INSERT INTO "Manifest" VALUES ('m1', 'sha256:a', 'r1', 'x', 1, true, null)`);
    await writer.query(`INSERT INTO "Blob" VALUES ('sha256:b', 1, null)`);
    // Notifications arrive in commit order on node B's one connection: once a later credential change is seen,
    // every earlier read change has been counted.
    const marker = async () => {
      const c = await settled("credentials");
      await writer.query(`INSERT INTO "ScopeMap" VALUES ($1)`, [crypto.randomUUID()]);
      await until("the marker", () => version("credentials"), (v) => v !== null && v !== c);
    };
    await marker();
    const before = version("reads");
    await writer.query(`UPDATE "Manifest" SET "lastPulledAt" = now()`);
    await writer.query(`UPDATE "Blob" SET "claimedAt" = now()`);
    await marker();
    assert.equal(version("reads"), before, "lastPulledAt and claimedAt are not what the caches hold");
    await writer.query(`UPDATE "Manifest" SET "readEnabled" = false`);
    await until("the read lock", () => version("reads"), (v) => v !== null && v !== before);
  });

  test("a disabled user on node A moves node B's credential version", async () => {
    const credentials = await settled("credentials");
    await writer.query(`INSERT INTO "User" VALUES ('u1', false)`);
    await until("the notification", () => version("credentials"), (v) => v !== credentials);
    const next = await settled("credentials");
    await writer.query(`UPDATE "User" SET disabled = true`);
    await until("the notification", () => version("credentials"), (v) => v !== next);
  });

  test("node B's connection lost: no version (caches re-read) until it is back, then a new one", async () => {
    const reads = await settled("reads");
    await writer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%wharf_shared.reads_version%' AND pid <> pg_backend_pid()`, [dbName]);
    await until("the loss to show", () => version("reads"), (v) => v === null);
    const back = await settled("reads");
    assert.notEqual(back, reads, "what happened while it was gone counts as a change");
  });

  test("a change whose notification never came is seen by the sequence poll", async () => {
    const reads = await settled("reads");
    // The sequence alone, as a writer whose NOTIFY was lost would leave it.
    await writer.query(`SELECT nextval('wharf_shared.reads_version')`);
    await until("the poll", () => version("reads"), (v) => v !== null && v !== reads);
  });
});
