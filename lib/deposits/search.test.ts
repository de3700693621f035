import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { depositListParamsSchema, depositTotals, listDeposits, SCANNED_TOTALS_CAP } from "./queries";

describe.each(TEST_DATABASE_KINDS)("deposit search (%s)", (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await db().execute(sql`
      insert into deposits (transaction_id, order_id, status, created_at, steam_id, amount, amount_currency)
      values ('s-1', 'live-17961-1', 'success', now(), '76561190000000001', 1, 'usd'),
             ('s-2', 'live-17961-2', 'success', now(), '76561190000000002', 2, 'usd'),
             ('s-3', 'live-1796', 'success', now(), '76561199999999999', 3, 'usd'),
             ('s-4', 'x%y_z', 'success', now(), null, 4, 'usd'),
             ('s-5', 'xzyaz', 'success', now(), null, 5, 'usd')`);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const found = async (q: string) =>
    (await listDeposits(db(), depositListParamsSchema.parse({ q }))).items.map((r) => r.transactionId).sort();

  it("finds order and Steam ids by their start, the transaction id exactly", async () => {
    expect(await found("live-17961")).toEqual(["s-1", "s-2"]);
    expect(await found("live-1796")).toEqual(["s-1", "s-2", "s-3"]);
    expect(await found("7656119000")).toEqual(["s-1", "s-2"]);
    expect(await found("s-1")).toEqual(["s-1"]);
    // Under four characters only an exact match counts.
    expect(await found("liv")).toEqual([]);
  });

  it("LIKE's wildcards in a search are plain characters", async () => {
    expect(await found("x%y_")).toEqual(["s-4"]);
    expect(await found("x_y%")).toEqual([]);
  });

  it("totals of a broad search stop at the cap instead of scanning every match", async () => {
    await db().execute(sql`
      insert into deposits (transaction_id, order_id, status, created_at, amount, amount_currency)
      select 'bulk-' || n, 'bulk-order-' || n, 'success', now(), 1, 'usd'
        from generate_series(1, ${SCANNED_TOTALS_CAP + 5}) n`);
    const totals = await depositTotals(db(), depositListParamsSchema.parse({ q: "bulk-order-" }));
    expect(totals).toEqual({ count: SCANNED_TOTALS_CAP, sums: [], capped: true });
    const narrow = await depositTotals(db(), depositListParamsSchema.parse({ q: "bulk-order-1000" }));
    // bulk-order-1000 and -10000 … -10005.
    expect(narrow).toMatchObject({ count: 7, sums: [{ currency: "usd", count: 7, sum: "7" }] });
  });
});
