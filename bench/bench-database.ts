import postgres from "postgres";
import { migrateDatabase, openPostgres } from "@/lib/db/client";
import { ADMIN_DATABASE_URL, databaseUrlFor } from "@/lib/testing/databases";

/** The PostgreSQL database `name` for a benchmark, created when missing (and kept), migrated; its URL. */
export async function benchDatabase(name: string): Promise<string> {
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = databaseUrlFor(name);
  const handle = openPostgres(url);
  await migrateDatabase({ kind: "postgres", url }, handle);
  await handle.close();
  return url;
}
