import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { config } from "./config";

export type Db = PrismaClient;

const KEY = Symbol.for("wharf.db");
type G = typeof globalThis & { [KEY]?: { url: string; client: PrismaClient } };

export function createDb(url: string): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url, timeout: 10_000 });
  return new PrismaClient({ adapter });
}

/**
 * One client per process and database, shared by the data plane, server actions
 * and the CLI (kept on globalThis so Next's bundle and server.ts share it).
 */
export function db(): PrismaClient {
  const g = globalThis as G;
  const url = config().databaseUrl;
  if (!g[KEY] || g[KEY].url !== url) {
    g[KEY] = { url, client: createDb(url) };
  }
  return g[KEY].client;
}
