/**
 * `npm run db:migrate`: applies the committed migrations (drizzle/) to the configured database — PostgreSQL from
 * DATABASE_URL, else the embedded PGlite folder (which must not be open in a running app at the same time).
 * The app also does this at start; this is for deploy pipelines and for checking a database by hand.
 */

import { ConfigError, parseConfig } from "../lib/config/index";
import { migrateDatabase, openDatabase } from "../lib/db/client";
import { describeError } from "../lib/errors/describe-error";

try {
  const target = parseConfig(process.env).database;
  console.info(
    target.kind === "postgres"
      ? "Migrating PostgreSQL (DATABASE_URL)…"
      : `Migrating PGlite in ${target.dataDir}…`,
  );
  const handle = await openDatabase(target);
  try {
    await migrateDatabase(target, handle);
  } finally {
    await handle.close();
  }
  console.info("Migrations applied.");
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${describeError(error)}`);
  process.exit(1);
}
