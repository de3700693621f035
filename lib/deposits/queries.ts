import "server-only";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { depositEvents, deposits, webhookDeliveries } from "@/lib/db/schema";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";

/** Query parameters of the deposit list, shared by the page and GET /api/deposits. */
export const depositListParamsSchema = z.object({
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional()
    .catch(undefined),
  limit: z.coerce.number().int().min(1).max(200).default(50).catch(50),
});
export type DepositListParams = z.infer<typeof depositListParamsSchema>;

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
    .where(
      after
        ? sql`(${deposits.createdAt}, ${deposits.transactionId}) < (${after.createdAt.toISOString()}::timestamptz, ${after.transactionId})`
        : undefined,
    )
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
