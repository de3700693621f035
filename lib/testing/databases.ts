import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type DatabaseHandle, migrateDatabase, openPglite, openPostgres } from "@/lib/db/client";

/**
 * The databases every integration test runs against: embedded PGlite (in memory) and the real PostgreSQL server
 * (a fresh database per test file, dropped afterwards). TEST_DATABASE_URL points at the server's admin database.
 */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type TestDatabase = { handle: DatabaseHandle; url?: string; drop(): Promise<void> };

export type TestDatabaseKind = "pglite" | "postgres";
export const TEST_DATABASE_KINDS: TestDatabaseKind[] = ["pglite", "postgres"];

export function databaseUrlFor(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database on the PostgreSQL server; returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{
  url: string;
  name: string;
  drop(): Promise<void>;
}> {
  const name = `sbtest_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrlFor(name),
    name,
    drop: async () => {
      const dropper = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

const TEST_CONNECT_TIMEOUT_SECONDS = 10;

export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const handle = await openPglite("memory://");
    await migrateDatabase({ kind: "pglite", dataDir: "memory://" }, handle);
    return { handle, drop: () => handle.close() };
  }
  const created = await createPostgresDatabase();
  // The app's 1.5 s connect deadline is how fast a request turns into a 503; the suite, dozens of databases at
  // once on two cores, measures no deadline here (the outage tests open their own connections).
  const handle = openPostgres(created.url, {
    maxConnections: 10,
    connectTimeoutSeconds: TEST_CONNECT_TIMEOUT_SECONDS,
  });
  await migrateDatabase({ kind: "postgres", url: created.url }, handle, {
    connectTimeoutSeconds: TEST_CONNECT_TIMEOUT_SECONDS,
  });
  return {
    handle,
    url: created.url,
    drop: async () => {
      await handle.close();
      await created.drop();
    },
  };
}
