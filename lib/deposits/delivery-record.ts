import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { type NewWebhookDelivery, webhookDeliveries } from "@/lib/db/schema";
import { describeError } from "@/lib/errors/describe-error";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";
import { withExactNumbersAsText } from "@/lib/skinsback/signed-message";
import { isTransactionId } from "@/lib/skinsback/transaction-id";
import { withDeadline } from "@/lib/time/with-deadline";

/**
 * Recording what the receiver did with a request it did not apply (a refusal, a 503), within a deadline and
 * best effort: the database may be what is down. Every request that reached us is recorded or counted.
 */

/** A commit that landed after its request was answered 503: the row now tells what the sender saw. */
export async function markAnsweredUnavailable(
  getDb: () => Promise<Db>,
  deliveryId: number | undefined,
  ms: number,
) {
  if (deliveryId === undefined) return;
  try {
    const db = await getDb();
    await db
      .update(webhookDeliveries)
      .set({
        httpStatus: 503,
        error: `stored, but the commit finished after ${ms} ms, when 503 had been answered`,
      })
      .where(eq(webhookDeliveries.id, deliveryId));
  } catch (error) {
    console.error(`[webhook] could not correct delivery ${deliveryId}: ${describeError(error)}`);
  }
}

export const insertDelivery = async (db: Db, row: NewWebhookDelivery): Promise<number | null> => {
  const [inserted] = await db.insert(webhookDeliveries).values(row).returning({ id: webhookDeliveries.id });
  return inserted?.id ?? null;
};

/** Records a delivery the receiver did not apply; not ok when the database could not take it in time. */
export async function recordDelivery(
  getDb: () => Promise<Db>,
  deadlineMs: number,
  record: (db: Db, row: NewWebhookDelivery) => Promise<number | null>,
  row: NewWebhookDelivery,
): Promise<{ ok: true; id: number | null } | { ok: false }> {
  try {
    const id = await withDeadline(
      getDb().then((db) => record(db, row)),
      deadlineMs,
      "recording the delivery",
    );
    return { ok: true, id };
  } catch (error) {
    console.error(`[webhook] could not record a ${row.httpStatus} delivery: ${describeError(error)}`);
    return { ok: false };
  }
}

/**
 * The id of a refused notification, so its deliveries can be found by transaction — only when it is a valid
 * transaction id: pages link it, and a refused body's text (`../../api/…`) must never become a path.
 */
export function idFrom(value: unknown): string | null {
  const text = withExactNumbersAsText(value);
  return isTransactionId(text) ? text : null;
}

export function statusFrom(value: unknown): DepositStatus | null {
  return typeof value === "string" && (DEPOSIT_STATUSES as readonly string[]).includes(value)
    ? (value as DepositStatus)
    : null;
}
