import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type MigrationMeta, readMigrationFiles } from "drizzle-orm/migrator";
import type { Db } from "./db";
import { rowsOf } from "./rows";

/**
 * The migration runner: drizzle-kit's committed migrations, applied in drizzle's own bookkeeping table
 * (`drizzle.__drizzle_migrations`: hash, created_at = the journal's `when`), so a database migrated by
 * drizzle's migrator before goes on from where it was.
 *
 * Why not drizzle's `migrate()`: it runs every pending migration in one transaction, and an index on a table
 * with millions of rows must be built `CREATE INDEX CONCURRENTLY`, which PostgreSQL refuses inside a transaction.
 * Here each migration is its own transaction, except an **online** migration: one whose every statement is
 * `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS` or `DROP INDEX CONCURRENTLY IF EXISTS`. Its statements run
 * one at a time, outside a transaction, writes to the table going on meanwhile; each is idempotent, so a run
 * that stopped half-way (a crash, a cancelled deploy) is simply run again — an index a failed build left INVALID
 * is dropped first, since `IF NOT EXISTS` would otherwise keep it. The embedded PGlite has one connection and no
 * concurrent writers: there the same statements run without CONCURRENTLY.
 */

const MIGRATIONS_TABLE = sql`drizzle.__drizzle_migrations`;

const ONLINE_STATEMENT =
  /^\s*(create\s+(unique\s+)?index\s+concurrently\s+if\s+not\s+exists\s+"?(?<created>[a-z0-9_]+)"?\s|drop\s+index\s+concurrently\s+if\s+exists\s)/i;

export type Migration = MigrationMeta & { tag: string };

/** A statement as PostgreSQL reads it, without the comment lines in front of it. */
const code = (statement: string) => statement.replace(/^(\s*--[^\n]*\n)+/, "").trim();
const isOnlineStatement = (statement: string) => ONLINE_STATEMENT.test(code(statement));

/** The committed migrations, oldest first, each with its file's tag (`0016_failed_rows`). */
export function readMigrations(folder: string): Migration[] {
  const metas = readMigrationFiles({ migrationsFolder: folder });
  // readMigrationFiles keeps the journal's order and gives no tags; the journal does.
  const journal = JSON.parse(readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  return metas.map((meta, i) => {
    const tag = journal.entries[i]?.tag ?? String(meta.folderMillis);
    const statements = meta.sql.map((s) => s.trim()).filter((s) => s.length > 0);
    const online = statements.filter((s) => /\bconcurrently\b/i.test(code(s)));
    if (online.length > 0 && online.length !== statements.length) {
      throw new Error(
        `migration ${tag} mixes CONCURRENTLY with other statements: an online migration holds only ` +
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS / DROP INDEX CONCURRENTLY IF EXISTS",
      );
    }
    for (const s of online) {
      if (!isOnlineStatement(s)) {
        throw new Error(
          `migration ${tag}: "${code(s).slice(0, 80)}" is not an idempotent concurrent index statement`,
        );
      }
    }
    return { ...meta, sql: statements, tag };
  });
}

export function isOnline(migration: Migration): boolean {
  return migration.sql.length > 0 && migration.sql.every(isOnlineStatement);
}

/**
 * Applies the migrations `db` has not had yet, in order. `db` must be one connection (a pool could run an online
 * statement and its invalid-index check on different sessions — harmless, but the caller's lock is per session).
 */
export async function applyMigrations(
  db: Db,
  migrations: Migration[],
  options: { concurrently: boolean; log?: (line: string) => void },
): Promise<string[]> {
  await db.execute(sql`create schema if not exists drizzle`);
  await db.execute(
    sql`create table if not exists ${MIGRATIONS_TABLE} (id serial primary key, hash text not null, created_at bigint)`,
  );
  const lastApplied = await lastAppliedMillis(db);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (lastApplied !== null && migration.folderMillis <= lastApplied) continue;
    const record = sql`insert into ${MIGRATIONS_TABLE} (hash, created_at) values (${migration.hash}, ${migration.folderMillis})`;
    if (isOnline(migration)) {
      for (const statement of migration.sql) {
        if (options.concurrently) {
          await dropInvalidIndex(db, statement);
          await db.execute(sql.raw(statement));
        } else {
          await db.execute(sql.raw(statement.replace(/\s+concurrently\b/i, "")));
        }
      }
      await db.execute(record);
    } else {
      await db.transaction(async (tx) => {
        for (const statement of migration.sql) await tx.execute(sql.raw(statement));
        await tx.execute(record);
      });
    }
    options.log?.(`applied ${migration.tag}${isOnline(migration) ? " (online)" : ""}`);
    applied.push(migration.tag);
  }
  return applied;
}

async function lastAppliedMillis(db: Db): Promise<number | null> {
  const [row] = rowsOf<{ created_at: string | null }>(
    await db.execute(
      sql`select created_at::text as created_at from ${MIGRATIONS_TABLE} order by created_at desc limit 1`,
    ),
  );
  const value = row?.created_at;
  return value === undefined || value === null ? null : Number(value);
}

/** A CREATE INDEX CONCURRENTLY that failed leaves its index INVALID; IF NOT EXISTS would keep it as it is. */
async function dropInvalidIndex(db: Db, statement: string): Promise<void> {
  const name = ONLINE_STATEMENT.exec(code(statement))?.groups?.created;
  if (!name) return;
  const invalid = rowsOf(
    await db.execute(sql`
      select 1 from pg_index i join pg_class c on c.oid = i.indexrelid
       where c.relname = ${name} and not i.indisvalid`),
  );
  if (invalid.length > 0) await db.execute(sql.raw(`drop index concurrently if exists "${name}"`));
}
