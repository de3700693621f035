import "server-only";
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { decodeCursor, encodeCursor } from "@/lib/db/keyset-cursor";
import { depositDailyTotals, deposits } from "@/lib/db/schema";
import { amountText } from "@/lib/money/amount";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";

const decimalText = amountText("must be an amount, e.g. 10.50");

/**
 * Filters of the deposit list, in the URL (shareable; the back button works), shared by the page,
 * GET /api/deposits and the CSV export. `q` finds an order id, a transaction id or a Steam id (exact).
 */
export const depositFiltersSchema = z.object({
  status: z
    .string()
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(z.enum(DEPOSIT_STATUSES, "must be deposit statuses, comma-separated")).max(6))
    .optional(),
  from: z.iso.date("must be a date, YYYY-MM-DD").optional(),
  to: z.iso.date("must be a date, YYYY-MM-DD").optional(),
  currency: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{3,4}$/, "must be a currency code, e.g. usd")
    .optional(),
  min: decimalText.optional(),
  max: decimalText.optional(),
  flagged: z.enum(["1"]).optional(),
  /** Deposits the watchdog flagged stuck (undecided): a small set, read through its own table. */
  stuck: z.enum(["1"]).optional(),
  q: z.string().trim().min(1).max(255).optional(),
  sort: z
    .enum(
      ["newest", "oldest", "amount_desc", "amount_asc"],
      "must be newest, oldest, amount_desc or amount_asc",
    )
    .optional(),
});

export type DepositFilters = z.infer<typeof depositFiltersSchema>;

export type DepositSort = NonNullable<DepositFilters["sort"]>;

/**
 * Each order of the list and the index that serves it (drizzle/0010): a key and transaction_id as tiebreaker,
 * both in one direction, so a keyset condition `(key, id) < (…)` continues exactly where a page ended. An ascending
 * order reads the same index backwards. A deposit without an amount sorts as 0, as deposits_amount_idx does.
 */
const SORTS: Record<DepositSort, { key: SQL; cast: SQL; direction: "asc" | "desc" }> = {
  newest: { key: sql`${deposits.createdAt}`, cast: sql`timestamptz`, direction: "desc" },
  oldest: { key: sql`${deposits.createdAt}`, cast: sql`timestamptz`, direction: "asc" },
  amount_desc: { key: sql`coalesce(${deposits.amount}, 0)`, cast: sql`numeric`, direction: "desc" },
  amount_asc: { key: sql`coalesce(${deposits.amount}, 0)`, cast: sql`numeric`, direction: "asc" },
};

export function depositOrder(sort: DepositSort = "newest"): SQL[] {
  const { key, direction } = SORTS[sort];
  return direction === "desc"
    ? [sql`${key} desc`, desc(deposits.transactionId)]
    : [sql`${key} asc`, asc(deposits.transactionId)];
}

/** The sort key of a row as the database's own text (a timestamp keeps its microseconds), for the cursor. */
export function depositSortKey(sort: DepositSort = "newest"): SQL<string> {
  return sql<string>`(${SORTS[sort].key})::text`;
}

/** Keyset condition: the rows after `cursor` in `sort`'s order. */
export function depositsAfter(
  sort: DepositSort = "newest",
  cursor: { key: string; transactionId: string },
): SQL {
  const { key, cast, direction } = SORTS[sort];
  const comparison = direction === "desc" ? sql`<` : sql`>`;
  return sql`(${key}, ${deposits.transactionId}) ${comparison} (${cursor.key}::${cast}, ${cursor.transactionId})`;
}

/** Query parameters of the deposit list: the filters and a keyset cursor. */
export const depositListParamsSchema = depositFiltersSchema.extend({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, "must be a cursor from a previous page")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type DepositListParams = z.infer<typeof depositListParamsSchema>;

/** Shorter searches match exactly only. */
export const SEARCH_PREFIX_MIN = 4;

/** The filters as SQL conditions (empty: every deposit). */
export function depositConditions(f: DepositFilters): SQL[] {
  const where: SQL[] = [];
  if (f.status?.length) where.push(inArray(deposits.status, f.status));
  if (f.from) where.push(gte(deposits.createdAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) where.push(lte(deposits.createdAt, new Date(`${f.to}T23:59:59.999Z`)));
  if (f.currency) where.push(eq(deposits.amountCurrency, f.currency));
  if (f.min) where.push(sql`${deposits.amount} >= ${f.min}::numeric`);
  if (f.max) where.push(sql`${deposits.amount} <= ${f.max}::numeric`);
  if (f.flagged) where.push(isNotNull(deposits.anomaly));
  if (f.stuck) {
    where.push(
      sql`${deposits.transactionId} in (select d.transaction_id from reconcile_differences d
            where d.kind = 'stuck' and d.state in ('open', 'acknowledged'))`,
    );
  }
  if (f.q) {
    // The transaction id exactly; order and Steam ids by prefix (`live-17961` finds `live-17961-3`), through
    // their text_pattern_ops indexes. A prefix needs SEARCH_PREFIX_MIN characters, or it would match most rows.
    const prefix = `${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      (f.q.length >= SEARCH_PREFIX_MIN
        ? or(
            eq(deposits.transactionId, f.q),
            sql`${deposits.orderId} like ${prefix}`,
            sql`${deposits.steamId} like ${prefix}`,
          )
        : or(eq(deposits.transactionId, f.q), eq(deposits.orderId, f.q), eq(deposits.steamId, f.q))) as SQL,
    );
  }
  return where;
}

export type DepositTotals = {
  count: number;
  /** More than `count` match (SCANNED_TOTALS_CAP): no sums are given for a part. */
  capped?: true;
  sums: { currency: string | null; count: number; sum: string | null }[];
};

/** Filters the daily rollup can answer: whole UTC days, statuses and currencies are its buckets. */
const ROLLUP_FILTERS = new Set<string>(["status", "from", "to", "currency", "sort"]);

/**
 * Count and sums (per currency: amounts in different currencies do not add up) for the current filters. Filters
 * of whole days, statuses and currencies are answered from deposit_daily_totals (a few thousand rows for a year,
 * instead of a scan of every deposit); the others (amount range, flagged, search) by the deposits themselves.
 */
export async function depositTotals(db: Db, filters: DepositFilters): Promise<DepositTotals> {
  const fromRollup = Object.entries(pickFilters(filters)).every(
    ([name, value]) => value === undefined || ROLLUP_FILTERS.has(name),
  );
  const rows = fromRollup ? await rollupTotals(db, filters) : await scannedTotals(db, filters);
  const count = rows.reduce((n, r) => n + r.count, 0);
  if (!fromRollup && count > SCANNED_TOTALS_CAP) return { count: SCANNED_TOTALS_CAP, sums: [], capped: true };
  return { count, sums: rows };
}

function pickFilters(params: DepositFilters): DepositFilters {
  const names = Object.keys(depositFiltersSchema.shape) as (keyof DepositFilters)[];
  return Object.fromEntries(names.map((n) => [n, params[n]])) as DepositFilters;
}

/** Totals the rollup cannot answer count at most this many deposits, so a broad filter costs a bounded scan. */
export const SCANNED_TOTALS_CAP = 10_000;

async function scannedTotals(db: Db, filters: DepositFilters): Promise<DepositTotals["sums"]> {
  const where = depositConditions(filters);
  const matching = db
    .select({ currency: deposits.amountCurrency, amount: deposits.amount })
    .from(deposits)
    .where(where.length ? and(...where) : undefined)
    .limit(SCANNED_TOTALS_CAP + 1)
    .as("matching");
  return db
    .select({
      currency: matching.currency,
      count: sql<number>`count(*)::int`,
      sum: sql<string | null>`sum(${matching.amount})::text`,
    })
    .from(matching)
    .groupBy(matching.currency)
    .orderBy(desc(sql`count(*)`));
}

async function rollupTotals(db: Db, f: DepositFilters): Promise<DepositTotals["sums"]> {
  const t = depositDailyTotals;
  const where: SQL[] = [sql`${t.deposits} <> 0`];
  if (f.status?.length) where.push(inArray(t.status, f.status));
  if (f.from) where.push(gte(t.day, f.from));
  if (f.to) where.push(lte(t.day, f.to));
  if (f.currency) where.push(eq(t.currency, f.currency));
  const rows = await db
    .select({
      currency: t.currency,
      count: sql<number>`sum(${t.deposits})::int`,
      sum: sql<string | null>`sum(${t.amount})::text`,
    })
    .from(t)
    .where(and(...where))
    .groupBy(t.currency)
    .orderBy(desc(sql`sum(${t.deposits})`));
  // The rollup keys "no currency" as ""; the list and its export say null, as the deposits table does.
  return rows.map((r) => ({
    ...r,
    currency: r.currency || null,
    sum: r.currency || r.sum !== "0" ? r.sum : null,
  }));
}

/** What the list shows; dates as ISO strings so the same object serves HTML and JSON. */
export type DepositListItem = {
  transactionId: string;
  orderId: string;
  steamId: string | null;
  status: DepositStatus;
  amount: string | null;
  amountCurrency: string | null;
  userAmount: string | null;
  createdAt: string;
  anomaly: string | null;
};

export type DepositPage = { items: DepositListItem[]; nextCursor: string | null };

/** A cursor names its order too: one made for another order is not applied (the list starts over). */
function depositCursor(sort: DepositSort, key: string, transactionId: string): string {
  return encodeCursor([sort, key, transactionId]);
}

const cursorSchema = z.tuple([z.string(), z.string().max(64), z.string().max(255)]);

const cursorKeyPattern = { timestamptz: /^[0-9 :.+-]{10,40}$/, numeric: /^-?\d{1,20}(\.\d{1,20})?$/ };

function readDepositCursor(
  cursor: string,
  sort: DepositSort,
): { key: string; transactionId: string } | undefined {
  const parsed = decodeCursor(cursor, cursorSchema);
  if (!parsed) return undefined;
  const [cursorSort, key, transactionId] = parsed;
  const pattern = sort.startsWith("amount") ? cursorKeyPattern.numeric : cursorKeyPattern.timestamptz;
  return cursorSort === sort && pattern.test(key) ? { key, transactionId } : undefined;
}

/**
 * The list's query, in the chosen order (newest first by default), keyset-paginated: no OFFSET, so a page deep
 * in a million rows costs what the first does. lib/deposits/list-plans.test.ts checks its plans.
 */
export function depositListQuery(db: Db, params: DepositListParams) {
  const sort = params.sort ?? "newest";
  const after = params.cursor ? readDepositCursor(params.cursor, sort) : undefined;
  const where = depositConditions(params);
  if (after) where.push(depositsAfter(sort, after));
  return db
    .select({
      transactionId: deposits.transactionId,
      orderId: deposits.orderId,
      steamId: deposits.steamId,
      status: deposits.status,
      amount: deposits.amount,
      amountCurrency: deposits.amountCurrency,
      userAmount: deposits.userAmount,
      createdAt: deposits.createdAt,
      anomaly: deposits.anomaly,
      sortKey: depositSortKey(sort),
    })
    .from(deposits)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...depositOrder(sort))
    .limit(params.limit + 1);
}

export async function listDeposits(db: Db, params: DepositListParams): Promise<DepositPage> {
  const sort = params.sort ?? "newest";
  const rows = await depositListQuery(db, params);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ sortKey: _key, ...r }) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    nextCursor:
      rows.length > params.limit && last ? depositCursor(sort, last.sortKey, last.transactionId) : null,
  };
}
