import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { decodeCursor, encodeCursor } from "@/lib/db/keyset-cursor";
import { rowsOf } from "@/lib/db/rows";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import { isDismissal } from "./dismiss";
import {
  type DepositSummary,
  httpMeaning,
  predict,
  type RawRow,
  type ReplayEffect,
  readBody,
} from "./predict";

/**
 * The failed-notification screen's one list, merging SkinsBack's failed entries (skinsback_failures) and the
 * deliveries this console refused or could not store (webhook_deliveries with a failure outcome; a replay's own
 * record is not listed again). Each row says what failed, what the deposit looks like here now, what a replay
 * would change, and how the last replay went.
 */

export const FAILED_SOURCES = ["skinsback", "console"] as const;

export const FAILED_AGES = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
} as const;

/** Rows a page of the screen shows, newest first. */
export const FAILED_PAGE = 50;

/** How long a resolved row stays on the screen (the delivery log keeps every delivery). */
export const RESOLVED_SHOWN_FOR = FAILED_AGES["30d"];

export const failedFiltersSchema = z.object({
  source: z.enum(FAILED_SOURCES).optional(),
  httpCode: z
    .string()
    .regex(/^\d{1,3}$/, "must be an HTTP status code")
    .optional(),
  age: z.enum(Object.keys(FAILED_AGES) as [keyof typeof FAILED_AGES]).optional(),
  state: z.enum(["open", "resolved", "all"]).default("open"),
  limit: z.coerce.number().int().min(1).max(500).default(FAILED_PAGE),
  /** The page after this row (`nextBefore` of the page before): older rows. */
  before: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "must be a cursor from the previous page")
    .optional(),
});

export type FailedFilters = z.infer<typeof failedFiltersSchema>;

export type { RawRow } from "./predict";

export type FailedRow = {
  key: string;
  source: (typeof FAILED_SOURCES)[number];
  target: { kind: "skinsback" | "delivery"; id: number; generation: number };
  transactionId: string | null;
  orderId: string | null;
  httpCode: string;
  /** Our answer in words, and for our own refusals, why. */
  failure: string;
  notificationStatus: DepositStatus | null;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  resolution: string | null;
  /** Resolved by an operator's dismissal (which "Undo dismiss" opens again). */
  dismissed: boolean;
  deposit: DepositSummary | null;
  lastReplay: {
    status: string;
    by: string;
    at: string;
    message: string | null;
    newStatus: string | null;
  } | null;
  /** What a replay would do, in words. */
  prediction: string;
  effect: ReplayEffect;
  /** Where the row stands in the list (opaque): `before` for the page after it. */
  position: string;
};

const OUTCOME_WORDS: Record<string, string> = {
  bad_signature: "signature did not verify",
  invalid_payload: "body was not a valid notification",
  too_large: "body was over the size limit",
  unavailable: "could not be stored (database unavailable)",
};

/**
 * Both sources as one relation with the same columns; filters apply to it as a whole. Console-side rows come
 * from console_failures (kept by triggers, drizzle/0016), so an open-only read walks its partial index and
 * nothing is recomputed from history; no body rides in the union.
 */
function unified() {
  return sql`
    (select 'skinsback' as source, f.id as target_id, f.generation, f.transaction_id, f.order_id, f.http_code,
            null::text as outcome, null::text as error, null::deposit_status as notification_status,
            f.first_seen_at, f.last_seen_at, f.resolved_at, f.resolution
       from skinsback_failures f
     union all
     select 'console', c.delivery_id, 1, c.transaction_id, null, c.http_status::text, c.outcome::text, c.error,
            c.notification_status, c.received_at, c.received_at, c.resolved_at, c.resolution
       from console_failures c) u`;
}

function where(filters: Omit<FailedFilters, "limit" | "state">, state: FailedFilters["state"], now: Date) {
  const parts = [sql`true`];
  if (filters.source) parts.push(sql`u.source = ${filters.source}`);
  if (filters.httpCode) parts.push(sql`u.http_code = ${filters.httpCode}`);
  const since = (ms: number) => sql`${new Date(now.getTime() - ms).toISOString()}::timestamptz`;
  if (filters.age) parts.push(sql`u.last_seen_at >= ${since(FAILED_AGES[filters.age])}`);
  // Open rows of any age are listed; resolved ones are history, shown for RESOLVED_SHOWN_FOR at most, so what a
  // poll reads and counts does not grow with the years.
  else if (state !== "open")
    parts.push(sql`(u.resolved_at is null or u.last_seen_at >= ${since(RESOLVED_SHOWN_FOR)})`);
  if (state === "open") parts.push(sql`u.resolved_at is null`);
  if (state === "resolved") parts.push(sql`u.resolved_at is not null`);
  return sql.join(parts, sql` and `);
}

export type FailedCounts = {
  open: number;
  resolved: number;
  bySource: Record<string, number>;
  byHttpCode: Record<string, number>;
};

export async function listFailed(
  db: Db,
  filters: FailedFilters,
  now = new Date(),
): Promise<{ rows: FailedRow[]; total: number; counts: FailedCounts; nextBefore: string | null }> {
  const [page, counts] = await Promise.all([
    selectFailed(db, filters, filters.limit + 1, now),
    countFailed(db, filters, now),
  ]);
  const rows = page.slice(0, filters.limit);
  const nextBefore = page.length > filters.limit ? (rows.at(-1)?.position ?? null) : null;
  const total =
    filters.state === "open"
      ? counts.open
      : filters.state === "resolved"
        ? counts.resolved
        : counts.open + counts.resolved;
  return { rows, total, counts, nextBefore };
}

/**
 * A row's place in the list, newest first: (last seen, id). Its time is PostgreSQL's own text of the timestamp
 * (microseconds, with its offset), so the next page starts exactly after it. A SkinsBack row and a console row
 * with the same id seen in the same microsecond would be one place: not a case that happens.
 */
const positionSchema = z
  .tuple([z.string().refine((t) => !Number.isNaN(Date.parse(t))), z.string().regex(/^\d{1,19}$/)])
  .transform(([at, id]) => ({ at, id }));

/** Every row matching `filters` (older than `before`), or the first `limit` of them, newest first. */
export async function selectFailed(
  db: Db,
  filters: Omit<FailedFilters, "limit">,
  limit: number | null,
  now = new Date(),
): Promise<FailedRow[]> {
  return rowsOf<RawRow>(await db.execute(failedRowsQuery(filters, limit, now))).map(toFailedRow);
}

/** The statement selectFailed runs (its plan is tested: lib/deposits/list-plans.test.ts). */
export function failedRowsQuery(filters: Omit<FailedFilters, "limit">, limit: number | null, now: Date): SQL {
  const before = decodeCursor(filters.before, positionSchema);
  // The page is chosen first; only its rows are joined to their deposit, last replay and stored body.
  return sql`
      select u.*, dep.status as deposit_status, dep.amount as deposit_amount, dep.amount_currency as deposit_currency,
             rep.status as replay_status, rep.requested_by as replay_by, rep.requested_at as replay_at,
             rep.message as replay_message, rep.new_status as replay_new_status,
             body.raw_body, body.content_type, body.body_truncated
        from (select u.*, u.last_seen_at::text as position_at from ${unified()}
               where ${where(filters, filters.state, now)}
               ${before ? sql`and (u.last_seen_at, u.target_id) < (${before.at}::timestamptz, ${before.id}::bigint)` : sql``}
               order by u.last_seen_at desc, u.target_id desc
               ${limit === null ? sql`` : sql`limit ${limit}`}) u
        left join deposits dep on dep.transaction_id = u.transaction_id
        left join webhook_deliveries body on u.source = 'console' and body.id = u.target_id
        left join lateral (
          select r.* from notification_replays r
           where r.target_kind = case when u.source = 'skinsback' then 'skinsback' else 'delivery' end
             and r.target_id = u.target_id and r.target_generation = u.generation
           order by r.id desc limit 1) rep on true
       order by u.last_seen_at desc, u.target_id desc`;
}

/** Open rows of both sources, for the overview: two counts over partial indexes (index-only scans). */
export async function countOpenFailed(db: Db): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
      select ((select count(*) from skinsback_failures where resolved_at is null)
            + (select count(*) from console_failures where resolved_at is null))::int as n`),
  );
  return row?.n ?? 0;
}

/**
 * Counts for the filter bar: each applies every other filter, so a number says what a click would show. One
 * grouped scan (the screen polls every few seconds), split in memory: there are few sources and HTTP codes.
 */
export async function countFailed(
  db: Db,
  filters: Omit<FailedFilters, "limit">,
  now: Date,
): Promise<FailedCounts> {
  const groups = rowsOf<{ source: string; http_code: string; open: boolean; n: number }>(
    await db.execute(sql`
      select u.source, u.http_code, (u.resolved_at is null) as open, count(*)::int as n
        from ${unified()} where ${where({ age: filters.age }, "all", now)} group by 1, 2, 3`),
  );
  const inState = (g: (typeof groups)[number]) =>
    filters.state === "all" || g.open === (filters.state === "open");
  const sum = (rows: typeof groups) => rows.reduce((n, g) => n + g.n, 0);
  const tally = (rows: typeof groups, key: "source" | "http_code") => {
    const counts: Record<string, number> = {};
    for (const g of rows) counts[g[key]] = (counts[g[key]] ?? 0) + g.n;
    return counts;
  };
  const matchesSource = (g: (typeof groups)[number]) => !filters.source || g.source === filters.source;
  const matchesCode = (g: (typeof groups)[number]) => !filters.httpCode || g.http_code === filters.httpCode;
  const both = groups.filter((g) => matchesSource(g) && matchesCode(g));
  const byHttpCode = Object.entries(
    tally(
      groups.filter((g) => matchesSource(g) && inState(g)),
      "http_code",
    ),
  )
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20);
  return {
    open: sum(both.filter((g) => g.open)),
    resolved: sum(both.filter((g) => !g.open)),
    bySource: tally(
      groups.filter((g) => matchesCode(g) && inState(g)),
      "source",
    ),
    byHttpCode: Object.fromEntries(byHttpCode),
  };
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

function toFailedRow(r: RawRow): FailedRow {
  const kind = r.source === "skinsback" ? "skinsback" : "delivery";
  const deposit = r.deposit_status
    ? { status: r.deposit_status, amount: r.deposit_amount, currency: r.deposit_currency }
    : null;
  const body = r.source === "console" ? readBody(r) : undefined;
  const predicted = predict(r, deposit, body);
  return {
    key: `${kind}:${r.target_id}:${r.generation}`,
    source: r.source,
    target: { kind, id: Number(r.target_id), generation: r.generation },
    transactionId: r.transaction_id,
    orderId: r.order_id ?? body?.orderId ?? null,
    httpCode: r.http_code,
    failure:
      r.source === "skinsback"
        ? `SkinsBack lists it as failed: our answer was ${httpMeaning(r.http_code)}`
        : `${httpMeaning(r.http_code)}: ${OUTCOME_WORDS[r.outcome ?? ""] ?? r.outcome}${r.error ? ` (${r.error})` : ""}`,
    notificationStatus: r.notification_status,
    firstSeenAt: iso(r.first_seen_at) as string,
    lastSeenAt: iso(r.last_seen_at) as string,
    resolvedAt: iso(r.resolved_at),
    resolution: r.resolution,
    dismissed: isDismissal(r.resolution),
    deposit,
    lastReplay: r.replay_status
      ? {
          status: r.replay_status,
          by: r.replay_by ?? "",
          at: iso(r.replay_at) as string,
          message: r.replay_message,
          newStatus: r.replay_new_status,
        }
      : null,
    prediction: predicted.text,
    effect: predicted.effect,
    position: encodeCursor([r.position_at, String(r.target_id)]),
  };
}
