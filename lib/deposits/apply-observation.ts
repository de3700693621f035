import { getTableColumns, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { deposits, type eventSourceEnum, type NewWebhookDelivery, webhookDeliveries } from "@/lib/db/schema";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";
import type { DepositFields } from "@/lib/skinsback/notification";
import { depositColumnsFrom } from "./notification-to-deposit";
import { judgeObservation, type ObservationOutcome } from "./status-machine";

export type ObservationSource = (typeof eventSourceEnum.enumValues)[number];

export type Observation = {
  notification: DepositFields;
  /** Everything that was received, unknown fields included, numbers as exact strings. */
  payload: Record<string, unknown>;
  source: ObservationSource;
  /** The inbound request that carried it; recorded in the same statement. Outcome and status are filled here. */
  delivery?: Omit<NewWebhookDelivery, "outcome" | "httpStatus" | "transactionId" | "notificationStatus">;
  /**
   * Called just before the statement is sent: the point after which the observation may be stored. Throwing
   * means nothing is sent (see AnswerGate: a webhook whose 503 already went out must not be stored).
   */
  beforeSend?: () => void;
  /** How long to wait for another transaction's lock on the deposit before giving up (nothing written). */
  lockTimeoutMs?: number;
};

export type ObservationResult = {
  outcome: ObservationOutcome;
  previousStatus: DepositStatus | undefined;
  status: DepositStatus;
  eventId: number;
  deliveryId: number | undefined;
};

const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

/**
 * Records one observation of a deposit's status and moves the deposit forward when the state machine says so:
 * one call of the database function `ingest_observation` (drizzle/0003, as replaced by 0013), so one round trip, and atomic: the
 * event, the deposit change and the delivery are all stored, or none is.
 *
 * Concurrency: the function claims a new deposit atomically (INSERT … ON CONFLICT DO NOTHING), otherwise locks
 * the row (FOR UPDATE), so observations of one deposit are judged one at a time against its committed status;
 * the partial unique index on applied events backs this: a status can never be applied twice. The judging itself
 * is the pure state machine here: the function receives the outcome for every status the deposit may be in.
 */
export async function applyObservation(db: Db, observation: Observation): Promise<ObservationResult> {
  const { notification } = observation;
  const incoming = notification.status;
  const outcomes = Object.fromEntries(
    DEPOSIT_STATUSES.map((current) => [current, judgeObservation(current, incoming)]),
  );
  const { rawBody, ...delivery } = observation.delivery ?? { rawBody: undefined };
  const query = sql`select outcome, previous_status, event_id, delivery_id from ingest_observation(
    ${notification.transaction_id}::text,
    ${incoming}::deposit_status,
    ${JSON.stringify(byColumnName(DEPOSIT_COLUMNS, depositColumnsFrom(notification)))}::jsonb,
    ${JSON.stringify(outcomes)}::jsonb,
    ${observation.source}::event_source,
    ${JSON.stringify(observation.payload)}::jsonb,
    ${observation.delivery ? JSON.stringify(byColumnName(DELIVERY_COLUMNS, delivery)) : null}::jsonb,
    ${rawBody ?? null}::bytea,
    ${observation.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS}::integer
  )`;
  observation.beforeSend?.();
  const [row] = rowsOf<{
    outcome: ObservationOutcome;
    previous_status: DepositStatus | null;
    event_id: string | number;
    delivery_id: string | number | null;
  }>(await db.execute(query));
  if (!row) throw new Error("ingest_observation returned nothing");
  return {
    outcome: row.outcome,
    previousStatus: row.previous_status ?? undefined,
    status: incoming,
    // Our own identity ids, far below 2^53.
    eventId: Number(row.event_id),
    deliveryId: row.delivery_id === null ? undefined : Number(row.delivery_id),
  };
}

/** `{ camelCaseField: column }` of the two tables the statement fills, computed once. */
const DEPOSIT_COLUMNS = getTableColumns(deposits) as Record<string, { name: string }>;
const DELIVERY_COLUMNS = getTableColumns(webhookDeliveries) as Record<string, { name: string }>;

/** `{ camelCaseField: value }` → `{ column_name: value }`, leaving out undefined values. */
function byColumnName(columns: Record<string, { name: string }>, values: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const column = columns[key];
    if (value === undefined || !column) continue;
    out[column.name] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
