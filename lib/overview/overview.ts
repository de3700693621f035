import { sql } from "drizzle-orm";
import { z } from "zod";
import { countActiveIncidents } from "@/lib/alerts/incident-list";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { FAILED_SYNC_JOB } from "@/lib/failed-notifications/failed-loops";
import { countOpenFailed } from "@/lib/failed-notifications/list";
import { readJob } from "@/lib/jobs/scheduler";
import { countUndecided } from "@/lib/reconciliation/differences";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";

/** The overview's periods, in UTC days ending today. */
export const OVERVIEW_PERIODS = [7, 30, 90] as const;
export const overviewParamsSchema = z.object({
  days: z.coerce
    .number()
    .pipe(
      z.union(
        OVERVIEW_PERIODS.map((d) => z.literal(d)) as [z.ZodLiteral<7>, z.ZodLiteral<30>, z.ZodLiteral<90>],
      ),
    )
    .default(30),
});
export type OverviewParams = z.infer<typeof overviewParamsSchema>;

export type MoneyByCurrency = { currency: string; amount: string }[];

/** One UTC day of the charts: deposits by current status, and money credited (success, hold_approved) per currency. */
export type OverviewDay = {
  day: string;
  counts: Record<DepositStatus, number>;
  /** currency → exact decimal text */
  settled: Record<string, string>;
  releasedEarly: Record<string, string>;
};

export type Overview = {
  days: number;
  from: string;
  to: string;
  perDay: OverviewDay[];
  byStatus: { status: DepositStatus; deposits: number; money: MoneyByCurrency }[];
  /** Currencies of the period, the one with the most deposits first. */
  currencies: string[];
  /** Money released early and not yet final: every deposit in hold_approved now, whatever its day. */
  releasedEarly: { deposits: number; money: MoneyByCurrency };
  openFailed: number;
  /** When SkinsBack's failed list was last read successfully (null: never, or the last read failed). */
  failedListSyncedAt: string | null;
  /** Undecided flags: deposits the watchdog found stuck, and reconciliation's other differences. */
  stuck: number;
  differences: number;
  /** Alert incidents not resolved. */
  openIncidents: number;
};

const dayText = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Everything the overview shows. The deposit figures come from deposit_daily_totals (a few rows per day), never
 * from a scan of the deposits, so the page costs the same at a thousand deposits as at a million.
 */
export async function readOverview(db: Db, params: OverviewParams, now = new Date()): Promise<Overview> {
  const to = dayText(now);
  const from = dayText(new Date(now.getTime() - (params.days - 1) * 86_400_000));
  const [daily, totals, released, failed, sync, undecided, incidents] = await Promise.all([
    db.execute(sql`
      select day::text as day, status::text as status, currency, deposits::int as deposits, amount::text as amount
        from deposit_daily_totals
       where day between ${from}::date and ${to}::date and deposits <> 0
       order by day`),
    db.execute(sql`
      select status::text as status, currency, sum(deposits)::int as deposits, sum(amount)::text as amount
        from deposit_daily_totals
       where day between ${from}::date and ${to}::date and deposits <> 0
       group by 1, 2`),
    db.execute(sql`
      select currency, sum(deposits)::int as deposits, sum(amount)::text as amount
        from deposit_daily_totals where status = 'hold_approved' and deposits <> 0
       group by currency order by 2 desc`),
    countOpenFailed(db),
    readJob(db, FAILED_SYNC_JOB),
    countUndecided(db),
    countActiveIncidents(db),
  ]);
  const rows = rowsOf<{
    day: string;
    status: DepositStatus;
    currency: string;
    deposits: number;
    amount: string;
  }>(daily);

  const perDay = new Map<string, OverviewDay>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = dayText(new Date(t));
    perDay.set(day, {
      day,
      counts: Object.fromEntries(DEPOSIT_STATUSES.map((s) => [s, 0])) as Record<DepositStatus, number>,
      settled: {},
      releasedEarly: {},
    });
  }
  const currencyDeposits = new Map<string, number>();
  for (const row of rows) {
    const entry = perDay.get(row.day);
    if (!entry) continue;
    entry.counts[row.status] += row.deposits;
    if (row.currency) {
      currencyDeposits.set(row.currency, (currencyDeposits.get(row.currency) ?? 0) + row.deposits);
      if (row.status === "success") entry.settled[row.currency] = row.amount;
      if (row.status === "hold_approved") entry.releasedEarly[row.currency] = row.amount;
    }
  }
  const statusRows = rowsOf<{ status: DepositStatus; currency: string; deposits: number; amount: string }>(
    totals,
  );
  const releasedRows = rowsOf<{ currency: string; deposits: number; amount: string }>(released);
  return {
    days: params.days,
    from,
    to,
    perDay: [...perDay.values()],
    byStatus: DEPOSIT_STATUSES.map((status) => {
      const mine = statusRows.filter((r) => r.status === status);
      return {
        status,
        deposits: mine.reduce((n, r) => n + r.deposits, 0),
        money: mine.filter((r) => r.currency !== "").map(({ currency, amount }) => ({ currency, amount })),
      };
    }),
    currencies: [...currencyDeposits].sort((a, b) => b[1] - a[1]).map(([c]) => c),
    releasedEarly: {
      deposits: releasedRows.reduce((n, r) => n + r.deposits, 0),
      money: releasedRows
        .filter((r) => r.currency !== "")
        .map(({ currency, amount }) => ({ currency, amount })),
    },
    openFailed: failed,
    failedListSyncedAt: sync?.lastFinishedAt && !sync.lastError ? sync.lastFinishedAt.toISOString() : null,
    stuck: undecided.stuck,
    differences: undecided.contradiction + undecided.amount + undecided.unknown_at_skinsback,
    openIncidents: incidents.open + incidents.acknowledged,
  };
}
