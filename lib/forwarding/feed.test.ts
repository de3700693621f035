import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { notificationRequest, sampleNotification } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";
import { readDepositData } from "./deposit-data";
import { type FeedEvent, feedQuerySchema, readFeed } from "./feed";

const query = (q: Record<string, string>) => feedQuerySchema.parse(q);

describe.each(TEST_DATABASE_KINDS)("the event feed on %s", (kind) => {
  const bed = useWebhookTestbed(kind);
  const db = () => bed.database.handle.db;

  /**
   * Waits until every change in this database is below the snapshot horizon the feed serves up to. The horizon is
   * the cluster's: a transaction another test file (or another program) keeps open on the same server holds it
   * back, whatever database it is in. Bounded: at most 400 looks, 25 ms apart.
   */
  async function horizonPassed() {
    for (let look = 0; look < 400; look++) {
      const [row] = rowsOf<{ passed: boolean | null }>(
        await db().execute(
          sql`select coalesce(max(txid) < pg_snapshot_xmin(pg_current_snapshot()), true) as passed from deposit_changes`,
        ),
      );
      if (row?.passed) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("another transaction on the server held the snapshot horizon for 10 s");
  }

  /** Every event from `after` on, page by page (bounded). */
  async function readAll(after: string | undefined, limit: string, types?: string) {
    const events: FeedEvent[] = [];
    let cursor = after;
    for (let page = 0; page < 100; page++) {
      const result = await readFeed(
        db(),
        query({ limit, ...(cursor ? { after: cursor } : {}), ...(types ? { types } : {}) }),
      );
      events.push(...result.data);
      cursor = result.next_cursor ?? undefined;
      if (!result.has_more) return { events, cursor };
    }
    throw new Error("more than 100 pages");
  }

  it("every applied change once, in order, through pages of any size; duplicates not at all; types filter", async () => {
    await horizonPassed();
    const { cursor: start } = await readAll(undefined, "500");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const pending = sampleNotification({ status: "pending" });
      ids.push(pending.transaction_id);
      await bed.receive(notificationRequest(pending));
      await bed.receive(notificationRequest(pending)); // a duplicate
      await bed.receive(
        notificationRequest(
          sampleNotification({
            status: "success",
            transaction_id: pending.transaction_id,
            order_id: pending.order_id,
          }),
        ),
      );
    }
    await horizonPassed();
    const { events } = await readAll(start, "3");
    expect(events.map((e) => `${e.data.transaction_id}:${e.data.sequence}:${e.type}`)).toEqual(
      ids.flatMap((id) => [`${id}:1:deposit.pending`, `${id}:2:deposit.success`]),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(14);
    expect(events[1]?.data).toMatchObject({
      amount: "121.5", // as SkinsBack's PHP sent it
      status: "success",
      previous_status: "pending",
    });
    const { events: successes } = await readAll(start, "500", "deposit.success");
    expect(successes.map((e) => e.data.transaction_id)).toEqual(ids);
    // The deposit as the API serves it: the same fields, and how many changes it has had.
    expect(await readDepositData(db(), ids[0] as string)).toMatchObject({
      status: "success",
      amount: "121.5",
      sequence: 2,
    });
  });

  it("a cursor it did not give out is a 400 naming `after`", async () => {
    await expect(readFeed(db(), query({ after: "bm90LWEtY3Vyc29y" }))).rejects.toMatchObject({
      code: "bad_request",
      details: { issues: ["after: must be a next_cursor from an earlier page"] },
    });
    expect(() => query({ limit: "501" })).toThrow(/500/);
  });

  it.runIf(kind === "postgres")(
    "a change whose transaction commits late is not skipped: later ones wait until it is visible",
    async () => {
      const url = bed.database.url as string;
      const slow = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await horizonPassed();
        const { cursor: start } = await readAll(undefined, "500");
        const early = sampleNotification({ status: "success" });
        const late = sampleNotification({ status: "success" });
        // The early change is written first (lower id) in a transaction that stays open…
        let release: () => void = () => {};
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let written: () => void = () => {};
        const isWritten = new Promise<void>((resolve) => {
          written = resolve;
        });
        const open = slow.begin(async (tx) => {
          await tx`select * from ingest_observation(${early.transaction_id}, 'success', ${JSON.stringify({ order_id: early.order_id })}::text::jsonb,
            '{"pending":"applied","in_hold":"applied","hold_approved":"applied","success":"duplicate","fail":"conflict","hold_returned":"conflict"}'::jsonb,
            'webhook', '{}'::jsonb, null, null, 5000)`;
          written();
          await held;
        });
        await Promise.race([isWritten, open]);
        // …while a later change commits at once.
        await bed.receive(notificationRequest(late));
        const whileOpen = await readAll(start, "500");
        expect(whileOpen.events.map((e) => e.data.transaction_id)).not.toContain(late.transaction_id);
        release();
        await open;
        await horizonPassed();
        const after = await readAll(start, "500");
        expect(after.events.map((e) => e.data.transaction_id)).toEqual([
          early.transaction_id,
          late.transaction_id,
        ]);
      } finally {
        await slow.end();
      }
    },
  );

  it("nothing is served from a rolled-back change", async () => {
    await horizonPassed();
    const { cursor: start } = await readAll(undefined, "500");
    const n = sampleNotification({ status: "success" });
    await db()
      .transaction(async (tx) => {
        await tx.execute(sql`select * from ingest_observation(${n.transaction_id}, 'success', ${JSON.stringify({ order_id: n.order_id })}::text::jsonb,
          '{}'::jsonb, 'webhook', '{}'::jsonb, null, null, 5000)`);
        const [written] = rowsOf<{ n: number }>(
          await tx.execute(
            sql`select count(*)::int as n from deposit_changes where transaction_id = ${n.transaction_id}`,
          ),
        );
        expect(written?.n).toBe(1);
        throw new Error("rolled back");
      })
      .catch((error: Error) => expect(error.message).toBe("rolled back"));
    expect((await readAll(start, "500")).events).toEqual([]);
  });
});
