import type { Db } from "../../lib/core/db";

/** A trigger that makes every insert into `table` fail with `message` (a real driver error), in the engine's dialect. */
export async function refuseInserts(db: Db, url: string, table: string, trigger: string, message: string): Promise<void> {
  if (url.startsWith("file:")) {
    await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON "${table}" BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    return;
  }
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${trigger}()`);
}

export async function allowInserts(db: Db, url: string, table: string, trigger: string): Promise<void> {
  await db.$executeRawUnsafe(url.startsWith("file:") ? `DROP TRIGGER IF EXISTS ${trigger}` : `DROP TRIGGER IF EXISTS ${trigger} ON "${table}"`);
}
