import { and, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { depositEvents, deposits, type NewWebhookDelivery, webhookDeliveries } from "@/lib/db/schema";
import { compareDecimal } from "@/lib/money/decimal";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import type { DepositNotification } from "@/lib/skinsback/notification";
import { depositColumnsFrom } from "./notification-to-deposit";
import { judgeObservation, type ObservationOutcome } from "./status-machine";

export type ObservationSource = "webhook" | "replay" | "status_check" | "sync" | "operator";

export type Observation = {
  notification: DepositNotification;
  /** Everything that was received, unknown fields included, numbers as exact strings. */
  payload: Record<string, unknown>;
  source: ObservationSource;
  /** The inbound request that carried it; recorded in the same transaction. Outcome and status are filled here. */
  delivery?: Omit<NewWebhookDelivery, "outcome" | "httpStatus" | "transactionId" | "notificationStatus">;
  /** Called last inside the transaction, before COMMIT; throwing rolls everything back (see AnswerGate). */
  beforeCommit?: () => void;
};

export type ObservationResult = {
  outcome: ObservationOutcome;
  previousStatus: DepositStatus | undefined;
  status: DepositStatus;
  eventId: number;
  deliveryId: number | undefined;
};

/**
 * Records one observation of a deposit's status and moves the deposit forward when the state machine says so,
 * all in one transaction: either the event, the deposit change and the delivery are all stored, or none is.
 *
 * Concurrency: the insert claims a new deposit atomically (ON CONFLICT DO NOTHING); otherwise the row is locked
 * (FOR UPDATE), so observations of one deposit are judged one at a time against its committed status. The
 * partial unique index on applied events backs this: a status can never be applied twice.
 */
export async function applyObservation(db: Db, observation: Observation): Promise<ObservationResult> {
  const { notification } = observation;
  const transactionId = notification.transaction_id;
  const incoming = notification.status;
  const columns = depositColumnsFrom(notification);

  return db.transaction(async (tx) => {
    const now = new Date();
    const inserted = await tx
      .insert(deposits)
      .values({ ...columns, transactionId, createdAt: columns.createdAt ?? now })
      .onConflictDoNothing({ target: deposits.transactionId })
      .returning({ transactionId: deposits.transactionId });

    let previousStatus: DepositStatus | undefined;
    let outcome: ObservationOutcome = "applied";
    let note: string | undefined;

    if (inserted.length === 0) {
      const [current] = await tx
        .select({
          status: deposits.status,
          amount: deposits.amount,
          amountCurrency: deposits.amountCurrency,
          userAmount: deposits.userAmount,
        })
        .from(deposits)
        .where(eq(deposits.transactionId, transactionId))
        .for("update");
      if (!current) throw new Error(`deposit ${transactionId} vanished while locked`);
      previousStatus = current.status;
      outcome = judgeObservation(current.status, incoming);

      const moneyChanges = moneyDifferences(current, notification);
      if (outcome === "duplicate" && moneyChanges.length > 0) {
        outcome = "conflict";
        note = `repeated ${incoming} with different money: ${moneyChanges.join(", ")}`;
      } else if (outcome === "conflict") {
        note = `received ${incoming} while the deposit is ${current.status}; status kept`;
      }

      if (outcome === "applied") {
        const { createdAt: _keepCreation, ...changes } = columns;
        // A later status that states other money is applied (it is signed) but flagged for an operator.
        if (moneyChanges.length > 0) {
          note = `money changed from ${current.status} to ${incoming}: ${moneyChanges.join(", ")}`;
        }
        // Guarded by the status we locked: a no-op if anything moved it, which the lock rules out.
        await tx
          .update(deposits)
          .set({
            ...changes,
            status: incoming,
            statusChangedAt: now,
            updatedAt: now,
            ...(note !== undefined && { anomaly: note }),
          })
          .where(and(eq(deposits.transactionId, transactionId), eq(deposits.status, current.status)));
      } else if (outcome === "conflict") {
        await tx
          .update(deposits)
          .set({ anomaly: note, updatedAt: now })
          .where(eq(deposits.transactionId, transactionId));
      }
    }

    let deliveryId: number | undefined;
    if (observation.delivery) {
      const [row] = await tx
        .insert(webhookDeliveries)
        .values({
          ...observation.delivery,
          outcome,
          httpStatus: 200,
          transactionId,
          notificationStatus: incoming,
        })
        .returning({ id: webhookDeliveries.id });
      deliveryId = row?.id;
    }

    const [event] = await tx
      .insert(depositEvents)
      .values({
        transactionId,
        deliveryId,
        source: observation.source,
        status: incoming,
        previousStatus,
        outcome,
        payload: observation.payload,
        note,
      })
      .returning({ id: depositEvents.id });
    if (!event) throw new Error("event insert returned nothing");

    observation.beforeCommit?.();
    return { outcome, previousStatus, status: incoming, eventId: event.id, deliveryId };
  });
}

/**
 * How the money a notification states differs from what the deposit has: a repeat of a status must repeat its
 * money, and a later status (in_hold 121.50 → success 5000.00) should too. Absent fields are no difference.
 */
function moneyDifferences(
  current: { amount: string | null; amountCurrency: string | null; userAmount: string | null },
  n: DepositNotification,
): string[] {
  const differences: string[] = [];
  if (n.amount !== undefined && current.amount !== null && compareDecimal(n.amount, current.amount) !== 0) {
    differences.push(`amount ${current.amount} → ${n.amount}`);
  }
  if (
    n.amount_currency !== undefined &&
    current.amountCurrency !== null &&
    n.amount_currency !== current.amountCurrency
  ) {
    differences.push(`currency ${current.amountCurrency} → ${n.amount_currency}`);
  }
  if (
    n.user_amount !== undefined &&
    current.userAmount !== null &&
    compareDecimal(n.user_amount, current.userAmount) !== 0
  ) {
    differences.push(`user amount ${current.userAmount} → ${n.user_amount}`);
  }
  return differences;
}
