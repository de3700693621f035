/**
 * `npm run db:seed:large -- --deposits 1000000`: fills the PostgreSQL database of DATABASE_URL with a year of
 * realistic traffic (lib/db/large-seed.ts says what), for trying the dashboard at scale. A million deposits take
 * about two minutes here. Run it with the app stopped. Refuses a database that already has deposits unless
 * --append is given.
 */

import postgres from "postgres";
import { ConfigError, parseConfig } from "../lib/config/index";
import { migrateDatabase, openDatabase } from "../lib/db/client";
import { seedLarge } from "../lib/db/large-seed";
import { describeError } from "../lib/errors/describe-error";

class UsageError extends Error {}

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

try {
  const total = Number(argument("deposits") ?? 1_000_000);
  if (!Number.isInteger(total) || total < 1 || total > 50_000_000) {
    throw new UsageError("--deposits must be a whole number from 1 to 50,000,000");
  }
  const target = parseConfig(process.env).database;
  if (target.kind !== "postgres") {
    throw new UsageError(
      "db:seed:large fills PostgreSQL: set DATABASE_URL (PGlite is not meant for a million rows)",
    );
  }
  const handle = await openDatabase(target);
  try {
    await migrateDatabase(target, handle);
  } finally {
    await handle.close();
  }
  const check = postgres(target.url, { max: 1 });
  const [{ n } = { n: 0 }] = await check<{ n: number }[]>`select count(*)::int as n from deposits`;
  await check.end();
  if (n > 0 && !process.argv.includes("--append")) {
    throw new UsageError(`the database already has ${n} deposits; add --append to add more`);
  }
  const started = Date.now();
  await seedLarge(target.url, total);
  console.info(
    `Seeded ${total.toLocaleString("en-US")} deposits in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
} catch (error) {
  const known = error instanceof ConfigError || error instanceof UsageError;
  console.error(known ? error.message : `Seeding failed: ${describeError(error)}`);
  process.exit(1);
}
