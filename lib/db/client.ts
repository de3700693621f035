import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema";

/**
 * One database type over two drivers: embedded PGlite (no DATABASE_URL) and PostgreSQL through postgres.js.
 * Query functions take a `Db`, which a transaction (`tx`) also is.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export type DatabaseHandle = {
  kind: DatabaseTarget["kind"];
  db: Db;
  /** Cheap round trip; rejects when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
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
export async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const release = dataDir.startsWith("memory://") ? () => {} : claimPgliteFolder(dataDir);
  try {
    const client = await PGlite.create(dataDir);
    return {
      kind: "pglite",
      db: drizzlePglite({ client, schema }) as unknown as Db,
      ping: async () => {
        await client.query("select 1");
      },
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

/**
 * Applies the committed migrations. On PostgreSQL several instances may start at once: the migration runs on one
 * dedicated connection holding an advisory lock, so they take turns and the later ones find nothing to do.
 */
export async function migrateDatabase(
  target: DatabaseTarget,
  handle: DatabaseHandle,
  options: { connectTimeoutSeconds?: number } = {},
): Promise<void> {
  if (target.kind === "pglite") {
    await migratePglite(handle.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const single = postgres(target.url, {
    max: 1,
    connect_timeout: options.connectTimeoutSeconds ?? CONNECT_TIMEOUT_SECONDS,
    onnotice: () => {},
  });
  try {
    await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres({ client: single }), { migrationsFolder: MIGRATIONS_FOLDER });
    await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await single.end({ timeout: 2 });
  }
}
