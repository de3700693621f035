import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";

/**
 * Retention: what the console keeps of its bookkeeping, and the daily job that lets go of the rest in small
 * batches. Deposits and their events (applied or not) are never deleted, nor the delivery rows those events name
 * — only, after a while, the raw bytes of such a delivery, whose fields the event keeps as `payload`.
 */

const days = (max: number) => z.number().int().min(1, "must be at least 1 day").max(max);

export const retentionSchema = z.strictObject({
  /** Raw bytes of deliveries a deposit event names (their fields stay in the event's payload, hash and size too). */
  deliveryBodiesDays: days(3650),
  /** Refused requests (bad signature, invalid, too large) that no deposit event names: rows and bodies. */
  refusedRequestsDays: days(3650),
  /** The SkinsBack API call log. */
  apiCallsDays: days(3650),
  /** The per-address and per-hour counters of rejected requests. */
  rejectionCountersDays: days(3650),
  /** The built-in sandbox's own records: sent notifications, requests it served, the demo receiver's receipts. */
  sandboxDays: days(3650),
});
export type Retention = z.infer<typeof retentionSchema>;

/**
 * The defaults keep what a dispute needs. A player or SkinsBack disputing a credit points at a deposit: its
 * events (kept forever) hold every signed field, and the signed bytes themselves stay 400 days — past a year of
 * chargeback and support windows. A refused request matters while someone investigates a forgery or a wrong
 * secret: 90 days. The API call log answers "did we call approve for this?" — also on the deposit's timeline as
 * the hold approval, kept forever — so 90 days. Counters only feed the rejection limits: 30 days. The sandbox is
 * a demo: 14 days.
 */
export const DEFAULT_RETENTION: Retention = {
  deliveryBodiesDays: 400,
  refusedRequestsDays: 90,
  apiCallsDays: 90,
  rejectionCountersDays: 30,
  sandboxDays: 14,
};

/** Rows per statement: each batch is a short transaction holding few row locks. */
const BATCH = 1_000;
/** Batches per table per run: a run stays short; what is left goes the next day (or the next run). */
const MAX_BATCHES = 200;

export type PruneReport = Record<string, number>;

/**
 * Lets go of everything older than the retention allows, in batches of BATCH rows, at most MAX_BATCHES a table.
 * Every statement picks its rows by an index (received_at, called_at, …) and stops at BATCH.
 */
export async function pruneHistory(db: Db, retention: Retention, now = new Date()): Promise<PruneReport> {
  const before = (d: number) => sql`${new Date(now.getTime() - d * 86_400_000).toISOString()}::timestamptz`;
  const steps: [string, ReturnType<typeof sql>][] = [
    [
      "deliveryBodies",
      // An emptied body keeps its size and hash; body_truncated says the bytes are not all here.
      sql`update webhook_deliveries set raw_body = ''::bytea, body_truncated = true
           where id in (select d.id from webhook_deliveries d
                         where d.received_at < ${before(retention.deliveryBodiesDays)} and octet_length(d.raw_body) > 0
                           and exists (select 1 from deposit_events e where e.delivery_id = d.id)
                         order by d.received_at limit ${BATCH})`,
    ],
    [
      "refusedRequests",
      sql`delete from webhook_deliveries
           where id in (select d.id from webhook_deliveries d
                         where d.received_at < ${before(retention.refusedRequestsDays)}
                           and d.outcome in ('bad_signature', 'invalid_payload', 'too_large')
                           and not exists (select 1 from deposit_events e where e.delivery_id = d.id)
                         order by d.received_at limit ${BATCH})`,
    ],
    [
      "apiCalls",
      sql`delete from api_calls where id in (select id from api_calls where called_at < ${before(retention.apiCallsDays)}
           order by called_at limit ${BATCH})`,
    ],
    [
      "rejectionCounters",
      sql`delete from webhook_rejection_counts where (scope, window_start) in (
           select scope, window_start from webhook_rejection_counts
            where window_start < ${before(retention.rejectionCountersDays)} limit ${BATCH})`,
    ],
    [
      "sandboxNotifications",
      sql`delete from sandbox_notifications where id in (select id from sandbox_notifications
           where delivered_at < ${before(retention.sandboxDays)} limit ${BATCH})`,
    ],
    [
      "sandboxRequests",
      sql`delete from sandbox_requests where id in (select id from sandbox_requests
           where received_at < ${before(retention.sandboxDays)} limit ${BATCH})`,
    ],
    [
      "sandboxReceipts",
      sql`delete from sandbox_merchant_receipts where id in (select id from sandbox_merchant_receipts
           where received_at < ${before(retention.sandboxDays)} limit ${BATCH})`,
    ],
  ];
  const report: PruneReport = {};
  for (const [name, statement] of steps) {
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const done = await affected(db, statement);
      total += done;
      if (done < BATCH) break;
    }
    report[name] = total;
  }
  return report;
}

async function affected(db: Db, statement: ReturnType<typeof sql>): Promise<number> {
  const result = (await db.execute(
    sql`with gone as (${statement} returning 1) select count(*)::int as n from gone`,
  )) as unknown;
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}
