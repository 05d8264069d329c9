import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { context, slot } from "./context";

export type Db = PrismaClient;

export function createDb(url: string): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url, timeout: 10_000 });
  return new PrismaClient({ adapter });
}

const dbSlot = slot(
  "db",
  (ctx) => createDb(ctx.config.databaseUrl),
  (client) => client.$disconnect(),
);

/** The context's database client, shared by the data plane, server actions and the CLI. */
export function db(): PrismaClient {
  return context().get(dbSlot);
}
