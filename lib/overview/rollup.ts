import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";

/**
 * The daily rollup (`deposit_daily_totals`, kept by a trigger in drizzle/0010) checked against a recount.
 *
 * The recount does not read deposits.status: a deposit's status is recounted from its events (the status of its
 * latest applied observation), its day, currency and amount from the deposit. So the check proves both that the
 * trigger kept the rollup in step and that every deposit's status is the one its history gives.
 */
export type RollupDifference = {
  day: string;
  status: string | null;
  currency: string;
  rollup: { deposits: number; amount: string } | null;
  recount: { deposits: number; amount: string } | null;
};

export type RollupCheck = { buckets: number; deposits: number; differences: RollupDifference[] };

export async function checkDailyTotals(db: Db): Promise<RollupCheck> {
  const rows = rowsOf<{
    day: string;
    status: string | null;
    currency: string;
    rollup_deposits: string | null;
    rollup_amount: string | null;
    recount_deposits: string | null;
    recount_amount: string | null;
    same: boolean;
  }>(
    await db.execute(sql`
      with latest as (
        select distinct on (transaction_id) transaction_id, status
          from deposit_events where outcome = 'applied'
         order by transaction_id, id desc
      ), recount as (
        select (d.created_at at time zone 'UTC')::date as day, l.status::text as status,
               coalesce(d.amount_currency, '') as currency, count(*) as deposits, coalesce(sum(d.amount), 0) as amount
          from deposits d left join latest l on l.transaction_id = d.transaction_id
         group by 1, 2, 3
      ), rollup as (
        select day, status::text as status, currency, deposits, amount
          from deposit_daily_totals where deposits <> 0 or amount <> 0
      )
      select coalesce(r.day, c.day)::text as day, coalesce(r.status, c.status) as status,
             coalesce(r.currency, c.currency) as currency,
             r.deposits::text as rollup_deposits, r.amount::text as rollup_amount,
             c.deposits::text as recount_deposits, c.amount::text as recount_amount,
             -- numeric equality, not text: 12.5 and 12.50 are the same money
             coalesce(r.deposits = c.deposits and r.amount = c.amount, false) as same
        from rollup r full join recount c
          on r.day = c.day and r.status is not distinct from c.status and r.currency = c.currency
       order by 1, 2, 3`),
  );
  const differences: RollupDifference[] = [];
  let deposits = 0;
  for (const row of rows) {
    deposits += Number(row.recount_deposits ?? 0);
    if (!row.same) {
      differences.push({
        day: row.day,
        status: row.status,
        currency: row.currency,
        rollup:
          row.rollup_deposits === null
            ? null
            : { deposits: Number(row.rollup_deposits), amount: row.rollup_amount ?? "0" },
        recount:
          row.recount_deposits === null
            ? null
            : { deposits: Number(row.recount_deposits), amount: row.recount_amount ?? "0" },
      });
    }
  }
  return { buckets: rows.length, deposits, differences };
}

/** Recomputes the rollup from the deposits table (after a bulk load with the trigger disabled). */
export async function rebuildDailyTotals(db: Db): Promise<void> {
  await db.execute(sql`select deposit_daily_totals_rebuild()`);
}
