import "server-only";
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { depositEvents, deposits, webhookDeliveries } from "@/lib/db/schema";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";

const decimalText = z.string().regex(/^\d{1,12}(\.\d{1,8})?$/, "must be an amount, e.g. 10.50");

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
  q: z.string().trim().min(1).max(255).optional(),
});
export type DepositFilters = z.infer<typeof depositFiltersSchema>;

/** Query parameters of the deposit list: the filters and a keyset cursor. */
export const depositListParamsSchema = depositFiltersSchema.extend({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/, "must be a cursor from a previous page")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DepositListParams = z.infer<typeof depositListParamsSchema>;

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
  if (f.q) {
    where.push(
      or(eq(deposits.transactionId, f.q), eq(deposits.orderId, f.q), eq(deposits.steamId, f.q)) as SQL,
    );
  }
  return where;
}

/** Keyset condition of the newest-first order (created_at, transaction_id), which deposits_created_at_idx serves. */
export function olderThan(after: { createdAt: Date; transactionId: string }): SQL {
  return sql`(${deposits.createdAt}, ${deposits.transactionId}) < (${after.createdAt.toISOString()}::timestamptz, ${after.transactionId})`;
}

export type DepositTotals = {
  count: number;
  sums: { currency: string | null; count: number; sum: string | null }[];
};

/** Count and sums (per currency: amounts in different currencies do not add up) for the current filters. */
export async function depositTotals(db: Db, filters: DepositFilters): Promise<DepositTotals> {
  const where = depositConditions(filters);
  const rows = await db
    .select({
      currency: deposits.amountCurrency,
      count: sql<number>`count(*)::int`,
      sum: sql<string | null>`sum(${deposits.amount})::text`,
    })
    .from(deposits)
    .where(where.length ? and(...where) : undefined)
    .groupBy(deposits.amountCurrency)
    .orderBy(desc(sql`count(*)`));
  return { count: rows.reduce((n, r) => n + r.count, 0), sums: rows };
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

function encodeCursor(createdAt: Date, transactionId: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), transactionId])).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; transactionId: string } | undefined {
  try {
    const [iso, transactionId] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [
      string,
      string,
    ];
    const createdAt = new Date(iso);
    if (Number.isNaN(createdAt.getTime()) || typeof transactionId !== "string") return undefined;
    return { createdAt, transactionId };
  } catch {
    return undefined;
  }
}

/** Newest first, keyset-paginated on (created_at, transaction_id), which the deposits_created_at_idx serves. */
export async function listDeposits(db: Db, params: DepositListParams): Promise<DepositPage> {
  const after = params.cursor ? decodeCursor(params.cursor) : undefined;
  const where = depositConditions(params);
  if (after) where.push(olderThan(after));
  const rows = await db
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
    })
    .from(deposits)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(deposits.createdAt), desc(deposits.transactionId))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    nextCursor: rows.length > params.limit && last ? encodeCursor(last.createdAt, last.transactionId) : null,
  };
}

export type DepositDetail = typeof deposits.$inferSelect;

export type TimelineEntry = {
  key: string;
  at: string;
  /** An observation of the deposit (applied, duplicate, stale, conflict) … */
  event: {
    id: number;
    source: string;
    status: DepositStatus;
    previousStatus: DepositStatus | null;
    outcome: "applied" | "duplicate" | "stale" | "conflict";
    note: string | null;
    payload: Record<string, unknown>;
  } | null;
  /** … and/or the request that carried it; rejected requests naming this deposit have no event. */
  delivery: {
    id: number;
    outcome: string;
    httpStatus: number;
    signCheck: string;
    signVariant: string | null;
    xSignCheck: string;
    encoding: string | null;
    error: string | null;
    durationMs: number;
    notificationStatus: DepositStatus | null;
  } | null;
};

export async function getDeposit(db: Db, transactionId: string): Promise<DepositDetail | undefined> {
  const [row] = await db.select().from(deposits).where(eq(deposits.transactionId, transactionId));
  return row;
}

const deliveryColumns = {
  id: webhookDeliveries.id,
  receivedAt: webhookDeliveries.receivedAt,
  outcome: webhookDeliveries.outcome,
  httpStatus: webhookDeliveries.httpStatus,
  signCheck: webhookDeliveries.signCheck,
  signVariant: webhookDeliveries.signVariant,
  xSignCheck: webhookDeliveries.xSignCheck,
  encoding: webhookDeliveries.encoding,
  error: webhookDeliveries.error,
  durationMs: webhookDeliveries.durationMs,
  notificationStatus: webhookDeliveries.notificationStatus,
};

/** Every event of the deposit and every request that named it, in the order they reached us. */
export async function getDepositTimeline(db: Db, transactionId: string): Promise<TimelineEntry[]> {
  const events = await db
    .select({
      id: depositEvents.id,
      observedAt: depositEvents.observedAt,
      source: depositEvents.source,
      status: depositEvents.status,
      previousStatus: depositEvents.previousStatus,
      outcome: depositEvents.outcome,
      note: depositEvents.note,
      payload: depositEvents.payload,
      delivery: deliveryColumns,
    })
    .from(depositEvents)
    .leftJoin(webhookDeliveries, eq(webhookDeliveries.id, depositEvents.deliveryId))
    .where(eq(depositEvents.transactionId, transactionId))
    .orderBy(asc(depositEvents.id));

  const unapplied = await db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .leftJoin(depositEvents, eq(depositEvents.deliveryId, webhookDeliveries.id))
    .where(and(eq(webhookDeliveries.transactionId, transactionId), isNull(depositEvents.id)))
    .orderBy(asc(webhookDeliveries.id));

  const toDelivery = (d: (typeof unapplied)[number]) => ({ ...d, receivedAt: undefined });
  const entries: (TimelineEntry & { order: number })[] = [
    ...events.map((e) => ({
      key: `e${e.id}`,
      at: (e.delivery?.receivedAt ?? e.observedAt).toISOString(),
      order: (e.delivery?.receivedAt ?? e.observedAt).getTime(),
      event: {
        id: e.id,
        source: e.source,
        status: e.status,
        previousStatus: e.previousStatus,
        outcome: e.outcome,
        note: e.note,
        payload: e.payload,
      },
      delivery: e.delivery ? toDelivery(e.delivery) : null,
    })),
    ...unapplied.map((d) => ({
      key: `d${d.id}`,
      at: d.receivedAt.toISOString(),
      order: d.receivedAt.getTime(),
      event: null,
      delivery: toDelivery(d),
    })),
  ];
  entries.sort((a, b) => a.order - b.order);
  return entries.map(({ order: _order, ...entry }) => entry);
}
