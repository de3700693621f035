import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { createPostgresDatabase } from "@/lib/testing/databases";
import type { Db } from "./client";
import { migrateDatabase, openPostgres } from "./client";
import { applyMigrations, isOnline, type Migration, readMigrations } from "./migrate";

const FOLDER = path.join(process.cwd(), "drizzle");

function folderWith(statements: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
  mkdirSync(path.join(dir, "meta"));
  writeFileSync(
    path.join(dir, "meta", "_journal.json"),
    JSON.stringify({ entries: [{ idx: 0, version: "7", when: 1, tag: "0000_test", breakpoints: true }] }),
  );
  writeFileSync(path.join(dir, "0000_test.sql"), statements);
  return dir;
}

describe("the migration runner", () => {
  it("every committed migration is transactional or online; an online one holds only idempotent index statements", () => {
    const online = readMigrations(FOLDER)
      .filter(isOnline)
      .map((m) => m.tag);
    expect(online).toContain("0017_online_timeline_index");
    for (const bad of [
      'CREATE INDEX CONCURRENTLY "x" ON "deposits" ("order_id");--> statement-breakpoint\nCREATE TABLE t (a int);',
      'CREATE INDEX CONCURRENTLY "x" ON "deposits" ("order_id");', // not IF NOT EXISTS: a rerun would fail
    ]) {
      const dir = folderWith(bad);
      try {
        expect(() => readMigrations(dir)).toThrow(/CONCURRENTLY|idempotent/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("runs an online migration outside a transaction, and redoes an index a stopped build left invalid", async () => {
    const created = await createPostgresDatabase();
    const handle = openPostgres(created.url, { maxConnections: 1 });
    const sql = postgres(created.url, { max: 1, onnotice: () => {} });
    try {
      // Inside a transaction PostgreSQL refuses CREATE INDEX CONCURRENTLY: the committed online migration ran.
      await migrateDatabase({ kind: "postgres", url: created.url }, handle);
      const validity = async (name: string) =>
        (
          await sql<{ valid: boolean }[]>`
            select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
             where c.relname = ${name}`
        )[0]?.valid;
      expect(await validity("deposit_events_delivery_id_idx")).toBe(true);

      // A build that was cancelled half-way leaves its index INVALID under the name; IF NOT EXISTS alone would keep it.
      await sql`create index test_online_idx on deposits (order_id, created_at)`;
      await sql`update pg_index set indisvalid = false where indexrelid = 'test_online_idx'::regclass`;
      const later: Migration = {
        tag: "9999_test_online",
        hash: "test-online",
        folderMillis: Date.now() + 86_400_000,
        bps: true,
        sql: [
          'CREATE INDEX CONCURRENTLY IF NOT EXISTS "test_online_idx" ON "deposits" ("order_id", "created_at")',
        ],
      };
      expect(isOnline(later)).toBe(true);
      const applied = await applyMigrations(drizzle({ client: sql }) as unknown as Db, [later], {
        concurrently: true,
      });
      expect(applied).toEqual(["9999_test_online"]);
      expect(await validity("test_online_idx")).toBe(true);
      // Recorded: the next start does nothing.
      expect(await migrateDatabase({ kind: "postgres", url: created.url }, handle)).toEqual([]);
    } finally {
      await sql.end();
      await handle.close();
      await created.drop();
    }
  });
});
