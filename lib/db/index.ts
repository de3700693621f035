import "server-only";
import { getConfig } from "@/lib/env";
import { type DatabaseHandle, migrateDatabase, openDatabase } from "./client";

/**
 * The process-wide database, opened and migrated once. Kept on globalThis because Next.js may load this module
 * in several bundles of one process (and again on every dev reload); a second PGlite on the same folder would
 * lose writes. A failed start is not cached: the next caller tries again (the database may come back).
 */
type Holder = { ready?: Promise<DatabaseHandle> };
const globalScope = globalThis as { __skinsbackDatabase?: Holder };
globalScope.__skinsbackDatabase ??= {};
const holder: Holder = globalScope.__skinsbackDatabase;

export function getDatabase(): Promise<DatabaseHandle> {
  holder.ready ??= start().catch((error) => {
    holder.ready = undefined;
    throw error;
  });
  return holder.ready;
}

async function start(): Promise<DatabaseHandle> {
  const target = getConfig().database;
  if (target.kind === "pglite") {
    console.info(`[db] DATABASE_URL is not set: using the embedded PGlite database in ${target.dataDir}`);
  } else {
    console.info("[db] using PostgreSQL from DATABASE_URL");
  }
  const handle = await openDatabase(target);
  try {
    await migrateDatabase(target, handle);
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  console.info("[db] migrations applied");
  return handle;
}
