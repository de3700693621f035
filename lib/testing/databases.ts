import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
export async function createPostgresDatabase(options: { fromTemplate?: boolean } = {}): Promise<{
  url: string;
  name: string;
  drop(): Promise<void>;
}> {
  const name = `sbtest_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(ADMIN_DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    if (options.fromTemplate) {
      // One process at a time: a template may have no other session while it is copied or made.
      await admin`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`;
      try {
        const template = await postgresTemplate(admin);
        await admin.unsafe(`create database "${name}" template "${template}"`);
      } finally {
        await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`;
      }
    } else {
      await admin.unsafe(`create database "${name}"`);
    }
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

/**
 * Migrated once, copied for every test: a PGlite image made once per test process, and a PostgreSQL template
 * database made once per set of migrations (its name carries their hash; an older template is dropped). Each test
 * database starts as an exact copy, then `migrateDatabase` confirms there is nothing left to apply.
 */
let pgliteImage: Promise<Blob> | undefined;

/** The image, kept in the system's temporary folder under the migrations' hash: test processes share it. */
function migratedPgliteImage(): Promise<Blob> {
  pgliteImage ??= (async () => {
    const file = path.join(tmpdir(), `sbtest-pglite-${migrationsHash()}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const handle = await openPglite("memory://");
    try {
      await migrateDatabase({ kind: "pglite", dataDir: "memory://" }, handle);
      const image = await (handle.dumpImage as () => Promise<Blob>)();
      // Written whole under another name, then renamed: a process reading it never sees half an image.
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, Buffer.from(await image.arrayBuffer()));
      renameSync(partial, file);
      return image;
    } finally {
      await handle.close();
    }
  })();
  return pgliteImage;
}

function migrationsHash(): string {
  const folder = path.join(process.cwd(), "drizzle");
  const hash = createHash("sha256");
  for (const name of readdirSync(folder).sort()) {
    if (name.endsWith(".sql")) hash.update(name).update(readFileSync(path.join(folder, name)));
  }
  hash.update(readFileSync(path.join(folder, "meta", "_journal.json")));
  return hash.digest("hex").slice(0, 12);
}

/** Arbitrary constant: the advisory lock under which test processes make the template and copy it. */
const TEMPLATE_LOCK_KEY = 7_301_955_022;

/** The migrated template's name, made if missing (one process makes it; the others wait on the lock). */
async function postgresTemplate(admin: postgres.Sql): Promise<string> {
  const name = `sbtest_tpl_${migrationsHash()}`;
  const [found] = await admin`select 1 from pg_database where datname = ${name}`;
  if (found) return name;
  await admin.unsafe(`create database "${name}"`);
  const url = databaseUrlFor(name);
  const handle = openPostgres(url, {
    maxConnections: 1,
    connectTimeoutSeconds: TEST_CONNECT_TIMEOUT_SECONDS,
  });
  try {
    await migrateDatabase({ kind: "postgres", url }, handle, {
      connectTimeoutSeconds: TEST_CONNECT_TIMEOUT_SECONDS,
    });
  } catch (error) {
    await handle.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    throw error;
  }
  await handle.close();
  for (const old of await admin<{ datname: string }[]>`
      select datname from pg_database where datname like 'sbtest_tpl_%' and datname <> ${name}`) {
    await admin.unsafe(`drop database if exists "${old.datname}" with (force)`);
  }
  return name;
}

export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const handle = await openPglite("memory://", { image: await migratedPgliteImage() });
    await migrateDatabase({ kind: "pglite", dataDir: "memory://" }, handle);
    return { handle, drop: () => handle.close() };
  }
  const created = await createPostgresDatabase({ fromTemplate: true });
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
