import "server-only";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { apiCalls, depositEvents, deposits, webhookDeliveries } from "@/lib/db/schema";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import { notesOf } from "./notes";

/** One deposit and its timeline: events, deliveries, API calls and operators' acts, in the order they happened. */

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
  /** An operator's note on the deposit. */
  note?: { id: number; body: string; by: string } | null;
  /** A SkinsBack API call about this deposit (a refresh, a replay's orderstatus, an approval). */
  call?: {
    id: number;
    method: string;
    outcome: string;
    errorCode: number | null;
    errorMessage: string | null;
    durationMs: number;
    caller: string;
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

export const deliveryColumns = {
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

/**
 * Every event of the deposit, every request that named it, every SkinsBack call about it and every operator's
 * note, in the order they happened.
 */
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

  const unapplied = await unappliedDeliveriesQuery(db, transactionId);

  const calls = await db
    .select()
    .from(apiCalls)
    .where(sql`(${apiCalls.params} ->> 'transaction_id') = ${transactionId}`)
    .orderBy(asc(apiCalls.id))
    .limit(200);

  const notes = await notesOf(db, transactionId);

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
    ...calls.map((c) => ({
      key: `c${c.id}`,
      at: c.calledAt.toISOString(),
      order: c.calledAt.getTime(),
      event: null,
      delivery: null,
      call: {
        id: c.id,
        method: c.method,
        outcome: c.outcome,
        errorCode: c.errorCode,
        errorMessage: c.errorMessage,
        durationMs: c.durationMs,
        caller: c.caller,
      },
    })),
    ...notes.map((n) => ({
      key: `n${n.id}`,
      at: n.at.toISOString(),
      order: n.at.getTime(),
      event: null,
      delivery: null,
      note: { id: n.id, body: n.body, by: n.by },
    })),
  ];
  entries.sort((a, b) => a.order - b.order);
  return entries.map(({ order: _order, ...entry }) => entry);
}

/**
 * The requests that named the deposit but changed nothing (refused, or not stored): each delivery's events are
 * found through deposit_events_delivery_id_idx (its plan is tested: lib/deposits/list-plans.test.ts).
 */
export function unappliedDeliveriesQuery(db: Db, transactionId: string) {
  return db
    .select(deliveryColumns)
    .from(webhookDeliveries)
    .leftJoin(depositEvents, eq(depositEvents.deliveryId, webhookDeliveries.id))
    .where(and(eq(webhookDeliveries.transactionId, transactionId), isNull(depositEvents.id)))
    .orderBy(asc(webhookDeliveries.id));
}
