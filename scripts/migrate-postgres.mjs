// PostgreSQL pieces of scripts/migrate.mjs: the adapter factory the WASM schema engine runs on, the applied-migrations
// query, and a throwaway server for the drift check when no server is given.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export const isPostgresUrl = (url) => /^postgres(ql)?:\/\//.test(url);

/** Host, port, user, password and database as separate fields: a connection string would override the database. */
async function connectionFields(url) {
  const { parse } = (await import("pg-connection-string")).default ?? (await import("pg-connection-string"));
  const c = parse(url);
  return { host: c.host ?? undefined, port: c.port ? Number(c.port) : undefined, user: c.user ?? undefined, password: c.password ?? undefined, database: c.database ?? undefined };
}

/**
 * The engine's introspection reads catalog columns of PostgreSQL's internal `"char"` type (OID 18), which the adapter
 * refuses; they hold one character, so reading them as text (OID 25) is exact.
 */
function readCharAsText(adapter) {
  const performIO = adapter.performIO.bind(adapter);
  adapter.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  return adapter;
}

async function withClient(fields, fn) {
  const pg = (await import("pg")).default;
  const client = new pg.Client(fields);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * An adapter factory for the schema engine. The shadow database (replaying the migrations folder for a diff) is
 * created and dropped here: the adapter's own drops it while its pool still holds connections.
 */
export async function postgresFactory(url) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const fields = await connectionFields(url);
  const base = new PrismaPg({ ...fields, max: 2 });
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => readCharAsText(await base.connect()),
    connectToShadowDb: async () => {
      const name = `wharf_shadow_${crypto.randomBytes(6).toString("hex")}`;
      await withClient(fields, (c) => c.query(`CREATE DATABASE "${name}"`));
      const adapter = readCharAsText(await new PrismaPg({ ...fields, database: name, max: 2 }).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await withClient(fields, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      };
      return adapter;
    },
  };
}

/** Names of the migrations the database has applied; null when it has no migrations table yet. */
export async function appliedPostgresMigrations(url) {
  return withClient(await connectionFields(url), async (c) => {
    try {
      const { rows } = await c.query('SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
      return rows.map((r) => r.name);
    } catch (err) {
      if (err?.code === "42P01") return null; // undefined_table: an empty database
      throw err;
    }
  });
}

const PG_BIN = "/usr/lib/postgresql/15/bin";

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * Runs fn with the URL of a PostgreSQL server: WHARF_TEST_POSTGRES_URL when set, else a throwaway PostgreSQL 15
 * started from Debian's binaries (as user postgres when we are root: PostgreSQL refuses root) and removed after.
 * Returns undefined without calling fn when there is neither; the caller says that the check was skipped.
 */
export async function withPostgresServer(fn) {
  if (process.env.WHARF_TEST_POSTGRES_URL) return { value: await fn(process.env.WHARF_TEST_POSTGRES_URL) };
  if (!fs.existsSync(path.join(PG_BIN, "initdb"))) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wharf-pg-check-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync("chown", ["-R", "postgres", dir]);
  const run = (bin, args) => {
    const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(PG_BIN, bin), ...args]] : [path.join(PG_BIN, bin), args];
    const r = spawnSync(cmd, argv, { encoding: "utf8", cwd: dir });
    if (r.status !== 0) throw new Error(`${bin} failed: ${(r.stderr || r.stdout || "").trim().split("\n").pop()}`);
  };
  const data = path.join(dir, "data");
  const port = await freePort();
  try {
    run("initdb", ["-D", data, "-U", "wharf", "--auth=trust", "--no-sync"]);
    run("pg_ctl", ["-D", data, "-w", "-l", path.join(dir, "log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
    try {
      return { value: await fn(`postgres://wharf@127.0.0.1:${port}/postgres`) };
    } finally {
      run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
