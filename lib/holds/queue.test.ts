import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { HOLD_QUEUE_PAGE, holdQueueFiltersSchema, readHoldQueue } from "./queue";

describe.each(TEST_DATABASE_KINDS)("the risk queue's pages (%s)", (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;
  const now = new Date("2026-05-01T00:00:00Z");

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    // 130 held deposits: 120 ending one a minute apart (two sharing each minute), 10 without an end date.
    await db().execute(sql`
      insert into deposits (transaction_id, order_id, status, created_at, steam_id, amount, amount_currency, in_hold_until)
      select 'queue-' || lpad(n::text, 3, '0'), 'o-' || n, 'in_hold', ${now.toISOString()}::timestamptz,
             'player-' || (n % 7), (n + 0.5)::numeric, 'usd',
             case when n <= 120 then ${now.toISOString()}::timestamptz + ((n / 2) || ' minutes')::interval end
        from generate_series(1, 130) n`);
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function everyPage(query: Record<string, string>) {
    const seen: { id: string; until: string | null }[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await readHoldQueue(db(), holdQueueFiltersSchema.parse({ ...query, after }), now);
      expect(page.items.length).toBeLessThanOrEqual(HOLD_QUEUE_PAGE);
      seen.push(...page.items.map((h) => ({ id: h.transactionId, until: h.inHoldUntil })));
      if (!page.nextCursor) return { seen, pages: i + 1 };
      after = page.nextCursor;
    }
    throw new Error("more than 10 pages");
  }

  it("pages through every held deposit once, soonest-ending first, those without an end last", async () => {
    const { seen, pages } = await everyPage({});
    expect(pages).toBe(3);
    expect(new Set(seen.map((s) => s.id)).size).toBe(130);
    const ends = seen.map((s) => s.until);
    expect(ends.slice(120)).toEqual(Array(10).fill(null));
    const dated = ends.slice(0, 120).map((e) => Date.parse(e as string));
    expect(dated).toEqual([...dated].sort((a, b) => a - b));
  });

  it("a filter pages the same way; a cursor not made here reads as the first page", async () => {
    const { seen } = await everyPage({ min: "100" });
    // Amounts n + 0.5 from 100.5: the dated ones by their end, then the undated by id — here both in id order.
    expect(seen.map((s) => s.id)).toEqual(Array.from({ length: 31 }, (_, i) => `queue-${100 + i}`));
    const forged = await readHoldQueue(
      db(),
      holdQueueFiltersSchema.parse({ after: "bm90LWEtY3Vyc29y" }),
      now,
    );
    expect(forged.items[0]?.transactionId).toBe("queue-001");
  });

  it("the level filter fills its pages from rounds of rows", async () => {
    const all = await everyPage({});
    const levels = await everyPage({ level: "low" });
    const low = (await readHoldQueue(db(), holdQueueFiltersSchema.parse({}), now)).items.filter(
      (h) => h.assessment.level === "low",
    );
    expect(levels.seen.length).toBeLessThanOrEqual(all.seen.length);
    expect(levels.seen.slice(0, low.length).map((s) => s.id)).toEqual(low.map((h) => h.transactionId));
  });
});
