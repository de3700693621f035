import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "./db";
import { applyMigrations, readMigrations } from "./migrate";
import * as schema from "./schema";

export type { Db } from "./db";

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export type DatabaseHandle = {
  kind: DatabaseTarget["kind"];
  db: Db;
  /** Cheap round trip; rejects when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the whole database as a tarball, which `openPglite(…, { image })` opens again (tests' templates). */
  dumpImage?(): Promise<Blob>;
};

const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");

/** Seconds. Short so that an unreachable database turns into a 503 quickly rather than a hung request. */
const CONNECT_TIMEOUT_SECONDS = 1.5;

export function openPostgres(
  url: string,
  options: { maxConnections?: number; connectTimeoutSeconds?: number } = {},
): DatabaseHandle {
  const client = postgres(url, {
    max: options.maxConnections ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? CONNECT_TIMEOUT_SECONDS,
    // postgres.js waits up to 20 s between reconnects after repeated failures (3^n / 100 s), so after an outage
    // the app would go on answering 503 long after the database is back. At most half a second instead: a
    // refused connection attempt costs next to nothing.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    idle_timeout: 60,
    onnotice: () => {},
    connection: { application_name: "skinsback-console" },
  });
  return {
    kind: "postgres",
    db: drizzlePostgres({ client, schema }) as unknown as Db,
    ping: async () => {
      await client`select 1`;
    },
    close: () => client.end({ timeout: 2 }),
  };
}

/** Another live process holds the embedded database's folder; this process must not use it (or keep running). */
export class PgliteFolderInUseError extends Error {
  override name = "PgliteFolderInUseError";
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${ownerPid}. Stop it first, or set DATABASE_URL ` +
        "to share a PostgreSQL server between processes.",
    );
  }
}

/**
 * Two processes must never open one PGlite folder (each would overwrite the other's writes), so the folder is
 * claimed with a lock file naming the owning process; a lock left by a dead process is taken over.
 */
function claimPgliteFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "..", `${path.basename(dataDir)}.lock`);
  if (existsSync(lockFile)) {
    const owner = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
      throw new PgliteFolderInUseError(dataDir, owner);
    }
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `dataDir` "memory://" gives a throw-away in-memory database (tests). */
export async function openPglite(dataDir: string, options: { image?: Blob } = {}): Promise<DatabaseHandle> {
  const release = dataDir.startsWith("memory://") ? () => {} : claimPgliteFolder(dataDir);
  try {
    const client = await PGlite.create(dataDir, options.image ? { loadDataDir: options.image } : {});
    return {
      kind: "pglite",
      db: drizzlePglite({ client, schema }) as unknown as Db,
      ping: async () => {
        await client.query("select 1");
      },
      dumpImage: () => client.dumpDataDir("none"),
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  return target.kind === "postgres" ? openPostgres(target.url) : openPglite(target.dataDir);
}

/** Arbitrary constant: the advisory lock that lets one of several starting instances migrate at a time. */
const MIGRATION_LOCK_KEY = 7_301_955_021;

/** How often an instance that finds the migration lock taken asks again, and for how long at most. */
const MIGRATION_LOCK_POLL_MS = 250;
const MIGRATION_LOCK_WAIT_MS = 30 * 60_000;

/**
 * Applies the committed migrations (lib/db/migrate.ts). On PostgreSQL several instances may start at once: the
 * migration runs on one dedicated connection holding an advisory lock, so they take turns and the later ones
 * find nothing to do. The others *poll* for the lock (`pg_try_advisory_lock`) instead of waiting in
 * `pg_advisory_lock`: a statement waiting holds a snapshot, and `CREATE INDEX CONCURRENTLY` waits for every
 * older snapshot to end — the holder would wait for the waiter, which waits for the holder.
 */
export async function migrateDatabase(
  target: DatabaseTarget,
  handle: DatabaseHandle,
  options: { connectTimeoutSeconds?: number; log?: (line: string) => void } = {},
): Promise<string[]> {
  const migrations = readMigrations(MIGRATIONS_FOLDER);
  if (target.kind === "pglite") {
    return applyMigrations(handle.db, migrations, { concurrently: false, log: options.log });
  }
  const single = postgres(target.url, {
    max: 1,
    connect_timeout: options.connectTimeoutSeconds ?? CONNECT_TIMEOUT_SECONDS,
    onnotice: () => {},
    connection: { application_name: "skinsback-console migrate" },
  });
  try {
    const giveUpAt = Date.now() + MIGRATION_LOCK_WAIT_MS;
    for (;;) {
      const [row] = await single<
        { locked: boolean }[]
      >`select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) as locked`;
      if (row?.locked) break;
      if (Date.now() > giveUpAt) {
        throw new Error("another instance has held the migration lock for 30 minutes; is a migration stuck?");
      }
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
    }
    try {
      return await applyMigrations(drizzlePostgres({ client: single }) as unknown as Db, migrations, {
        concurrently: true,
        log: options.log,
      });
    } finally {
      // A lost connection has released the lock already; its error is the one to report.
      await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    }
  } finally {
    await single.end({ timeout: 2 });
  }
}
