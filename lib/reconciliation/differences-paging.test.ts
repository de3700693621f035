import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { differencesCsv, listDifferences } from "./differences";

/**
 * Keyset pages at the database's precision: 500 differences whose times share milliseconds (they differ in the
 * microseconds, as rows written in one statement do) come back once each, paged 7 at a time and in the CSV.
 */
describe.each(TEST_DATABASE_KINDS)("the differences list's cursor on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await database.handle.db.execute(sql`
      insert into reconcile_differences (transaction_id, order_id, kind, state, detail, first_seen_at, last_seen_at)
      select 'paging-' || n, 'order-' || n, 'missing', 'open', 'made by the test',
             timestamptz '2031-01-01 00:00:00+00' + (n / 3) * interval '1 microsecond' * 250,
             timestamptz '2031-01-01 00:00:00+00' + (n / 3) * interval '1 microsecond' * 250
        from generate_series(1, 500) as n`);
  });
  afterAll(() => database?.drop());

  it("500 rows paged 7 at a time: each exactly once, in order", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await listDifferences(database.handle.db, { state: "all", before }, 7);
      seen.push(...result.rows.map((r) => r.transactionId));
      if (!result.nextCursor) break;
      before = result.nextCursor;
    }
    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
  });

  it("the CSV export walks the same pages: 500 rows, none twice", async () => {
    const { rows, csv } = await differencesCsv(database.handle.db, { state: "all" });
    expect(rows).toBe(500);
    expect(new Set(csv.trim().split("\r\n").slice(1)).size).toBe(500);
  });
});
