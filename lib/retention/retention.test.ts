import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { DEFAULT_RETENTION, pruneHistory } from "./retention";

describe.each(TEST_DATABASE_KINDS)("retention (%s)", (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;
  // The run's clock; every row is dated from it.
  const now = new Date("2031-06-01T00:00:00Z");
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const count = async (query: ReturnType<typeof sql>) =>
    rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from (${query}) x`))[0]?.n;

  async function delivery(fields: {
    outcome: string;
    days: number;
    transactionId?: string;
  }): Promise<number> {
    const [row] = rowsOf<{ id: number }>(
      await db().execute(sql`
        insert into webhook_deliveries (received_at, headers, raw_body, body_bytes, body_sha256, sign_check, x_sign_check,
                                        outcome, http_status, transaction_id, duration_ms)
        values (${daysAgo(fields.days)}::timestamptz, '{}', convert_to('{"status":"success"}', 'UTF8'), 20, 'abc',
                'valid', 'absent', ${fields.outcome}::delivery_outcome, 200, ${fields.transactionId ?? null}, 1)
        returning id`),
    );
    return Number(row?.id);
  }

  it("lets go of what is older than the settings, in batches, and never of deposits, events or the rows events name", async () => {
    // A deposit whose notification arrived 500 days ago, and one from last week.
    const stored = await delivery({ outcome: "applied", days: 500, transactionId: "ret-1" });
    const recent = await delivery({ outcome: "applied", days: 7, transactionId: "ret-2" });
    for (const [id, deliveryId] of [
      ["ret-1", stored],
      ["ret-2", recent],
    ] as const) {
      await db().execute(sql`
        insert into deposits (transaction_id, order_id, status, created_at) values (${id}, 'o', 'success', now())`);
      await db().execute(sql`
        insert into deposit_events (transaction_id, delivery_id, source, status, outcome, payload)
        values (${id}, ${deliveryId}, 'webhook', 'success', 'applied', '{"status":"success"}')`);
    }
    const oldRefused = await delivery({ outcome: "bad_signature", days: 100 });
    const newRefused = await delivery({ outcome: "bad_signature", days: 10 });
    // 2,500 old API calls (three batches) and 5 recent ones.
    await db().execute(sql`
      insert into api_calls (called_at, method, params, outcome, duration_ms, attempts, caller)
      select ${daysAgo(91)}::timestamptz - (n || ' seconds')::interval, 'balance', '{}', 'ok', 1, 1, 'test'
        from generate_series(1, 2500) n`);
    await db().execute(sql`
      insert into api_calls (called_at, method, params, outcome, duration_ms, attempts, caller)
      select ${daysAgo(1)}::timestamptz, 'balance', '{}', 'ok', 1, 1, 'test' from generate_series(1, 5)`);
    await db().execute(sql`
      insert into webhook_rejection_counts (scope, window_start, requests, bytes)
      values ('all', ${daysAgo(40)}::timestamptz, 3, 30), ('all', ${daysAgo(2)}::timestamptz, 1, 10)`);
    await db().execute(sql`
      insert into sandbox_merchant_receipts (webhook_id, verified, answered_status, received_at)
      values ('msg_old', true, 200, ${daysAgo(20)}::timestamptz), ('msg_new', true, 200, ${daysAgo(1)}::timestamptz)`);

    const report = await pruneHistory(db(), DEFAULT_RETENTION, now);
    expect(report).toMatchObject({
      deliveryBodies: 1,
      refusedRequests: 1,
      apiCalls: 2500,
      rejectionCounters: 1,
      sandboxReceipts: 1,
    });
    const bodies = rowsOf<{ id: number; bytes: number; truncated: boolean; body_bytes: number; sha: string }>(
      await db().execute(sql`
        select id, octet_length(raw_body) as bytes, body_truncated as truncated, body_bytes, body_sha256 as sha
          from webhook_deliveries where id in (${stored}, ${recent}) order by id`),
    );
    // The old body's bytes are gone; its size and hash say what it was. The recent one is whole.
    expect(bodies.map((b) => [Number(b.id), b.bytes, b.truncated, b.body_bytes, b.sha])).toEqual([
      [stored, 0, true, 20, "abc"],
      [recent, 20, false, 20, "abc"],
    ]);
    expect(await count(sql`select 1 from webhook_deliveries where id = ${oldRefused}`)).toBe(0);
    expect(await count(sql`select 1 from console_failures where delivery_id = ${oldRefused}`)).toBe(0);
    expect(await count(sql`select 1 from webhook_deliveries where id = ${newRefused}`)).toBe(1);
    expect(await count(sql`select 1 from api_calls`)).toBe(5);
    expect(await count(sql`select 1 from deposits where transaction_id like 'ret-%'`)).toBe(2);
    expect(await count(sql`select 1 from deposit_events where transaction_id like 'ret-%'`)).toBe(2);
    expect(await count(sql`select 1 from sandbox_merchant_receipts where webhook_id = 'msg_new'`)).toBe(1);

    // A second run finds nothing more to do.
    expect(Object.values(await pruneHistory(db(), DEFAULT_RETENTION, now)).every((n) => n === 0)).toBe(true);
  });
});
