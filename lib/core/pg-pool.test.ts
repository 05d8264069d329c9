import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { createTestDatabase, dropTestDatabase, queryPostgres } from "../../test/helpers/test-postgres";
import { SHARED_SCHEMA, sharedTable } from "./pg-pool";

const PG = process.env.WHARF_TEST_POSTGRES_URL;

describe("shared tables beside Prisma's", { skip: PG ? false : "WHARF_TEST_POSTGRES_URL is not set" }, () => {
  let env: Record<string, string>;
  const pools: pg.Pool[] = [];
  before(async () => {
    env = await createTestDatabase(); // fresh: no shared schema yet
    for (let i = 0; i < 8; i++) pools.push(new pg.Pool({ connectionString: env.WHARF_DATABASE_URL, max: 2 }));
  });
  after(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await dropTestDatabase(env);
  });

  // Plain CREATE ... IF NOT EXISTS from two nodes at once failed 1 time in 6 with "type already exists" (42710).
  test("eight nodes starting together each make the same tables, and none of them gets an error", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `t_${i}`);
    for (const name of names) {
      const results = await Promise.allSettled(pools.map((p) => sharedTable(p, name, "id text PRIMARY KEY, n integer NOT NULL", { unlogged: true })));
      const failed = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
      assert.deepEqual(failed, [], `table ${name}`);
    }
    const rows = await queryPostgres<{ relname: string; relpersistence: string }>(
      env.WHARF_DATABASE_URL,
      `SELECT c.relname, c.relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '${SHARED_SCHEMA}' AND c.relkind = 'r' ORDER BY c.relname`,
    );
    assert.deepEqual(rows, names.map((relname) => ({ relname, relpersistence: "u" })));
  });

  test("a creation that failed is tried again on the next call, not remembered", async () => {
    await assert.rejects(sharedTable(pools[0], "retried", "id no_such_type"), /no_such_type/);
    await sharedTable(pools[0], "retried", "id integer");
    const rows = await queryPostgres(env.WHARF_DATABASE_URL, `SELECT * FROM ${SHARED_SCHEMA}.retried`);
    assert.deepEqual(rows, []);
  });
});
