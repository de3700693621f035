import { and, eq, gt, gte, inArray, ne, sql } from "drizzle-orm";
import { type AuditActor, actorName, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { type ForwardRecovery, forwardMessages, forwardRecoveries } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { getEndpoint } from "./endpoints";
import { TEST_EVENT_TYPE } from "./event-types";

/**
 * What operators do to messages: resend one, retry an endpoint's waiting messages now, recover its failures since a
 * time, send a test event.
 * Each is audited and safe to click twice: a message already waiting is not queued again, a recovery takes only
 * failed messages (which its first click made waiting).
 */

type Who = { actor: AuditActor; address: string | null };
const byWhom = (who: Who) => actorName(who.actor);

/** Queues a delivered or failed message again: the same `webhook-id`, the same body, a fresh schedule. */
export async function resendMessage(
  db: Db,
  messageId: number,
  who: Who,
): Promise<{ queued: boolean; message: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(forwardMessages)
      .set({ state: "waiting", attempts: 0, nextAttemptAt: sql`clock_timestamp()`, claimedUntil: null })
      .where(and(eq(forwardMessages.id, messageId), ne(forwardMessages.state, "waiting")))
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(forwardMessages).where(eq(forwardMessages.id, messageId));
      if (!existing) throw new AppError("not_found", "no such message");
      return { queued: false, message: "already waiting to be sent; not queued twice" };
    }
    await recordAudit(tx as Db, {
      actor: who.actor,
      action: "forwarding.resend",
      outcome: "ok",
      target: { type: "forward-message", id: String(messageId) },
      transactionId: row.transactionId ?? undefined,
      address: who.address,
      detail: { endpointId: row.endpointId, type: row.type },
    });
    return { queued: true, message: "queued; it goes out with the same webhook-id" };
  });
}

/**
 * Makes every waiting message of an endpoint due now (its backend is back: no need to wait for the schedule's next
 * try). Their order and attempt counts stay as they are; a message being sent at this moment keeps its claim.
 */
export async function retryWaitingNow(
  db: Db,
  endpointId: string,
  who: Who,
  now = new Date(),
): Promise<{ count: number }> {
  await getEndpoint(db, endpointId); // 404 for an endpoint that does not exist
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(forwardMessages)
      .set({ nextAttemptAt: now })
      .where(
        and(
          eq(forwardMessages.endpointId, endpointId),
          eq(forwardMessages.state, "waiting"),
          gt(forwardMessages.nextAttemptAt, now),
        ),
      )
      .returning({ id: forwardMessages.id });
    await recordAudit(tx as Db, {
      actor: who.actor,
      action: "forwarding.retry-now",
      outcome: "ok",
      target: { type: "forward-endpoint", id: endpointId },
      address: who.address,
      detail: { messages: rows.length },
    });
    return { count: rows.length };
  });
}

const failedSince = (endpointId: string, since: Date) =>
  and(
    eq(forwardMessages.endpointId, endpointId),
    eq(forwardMessages.state, "failed"),
    gte(forwardMessages.createdAt, since),
  );

export async function countFailedSince(db: Db, endpointId: string, since: Date): Promise<number> {
  await getEndpoint(db, endpointId);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(forwardMessages)
    .where(failedSince(endpointId, since));
  return row?.n ?? 0;
}

const RECOVERY_BATCH = 1_000;

/**
 * Queues every failed message of the endpoint made since `since`, in batches of 1,000 (short statements, no long
 * lock), under one recovery whose progress the endpoint's page shows. Refused when nothing is failed.
 */
export async function recoverFailedSince(
  db: Db,
  endpointId: string,
  since: Date,
  who: Who,
): Promise<ForwardRecovery> {
  const total = await countFailedSince(db, endpointId, since);
  if (total === 0) throw new AppError("conflict", "no failed message since then; nothing to recover");
  const [recovery] = await db
    .insert(forwardRecoveries)
    .values({ endpointId, since, total, createdBy: byWhom(who) })
    .returning();
  if (!recovery) throw new Error("recovery insert returned nothing");
  let queued = 0;
  for (let round = 0; round < Math.ceil(total / RECOVERY_BATCH) + 1; round++) {
    const ids = (
      await db
        .select({ id: forwardMessages.id })
        .from(forwardMessages)
        .where(failedSince(endpointId, since))
        .limit(RECOVERY_BATCH)
    ).map((r) => r.id);
    if (ids.length === 0) break;
    const moved = await db
      .update(forwardMessages)
      .set({
        state: "waiting",
        attempts: 0,
        nextAttemptAt: sql`clock_timestamp()`,
        claimedUntil: null,
        recoveryId: recovery.id,
      })
      .where(and(inArray(forwardMessages.id, ids), eq(forwardMessages.state, "failed")))
      .returning({ id: forwardMessages.id });
    queued += moved.length;
  }
  const [final] = await db
    .update(forwardRecoveries)
    .set({ total: queued })
    .where(eq(forwardRecoveries.id, recovery.id))
    .returning();
  await recordAudit(db, {
    actor: who.actor,
    action: "forwarding.recover",
    outcome: "ok",
    target: { type: "forward-endpoint", id: endpointId },
    address: who.address,
    detail: { recoveryId: recovery.id, since: since.toISOString(), queued },
  });
  return final ?? recovery;
}

export type RecoveryProgress = ForwardRecovery & { delivered: number; waiting: number; failed: number };

/** The endpoint's latest recovery and how far it has come. */
export async function latestRecovery(db: Db, endpointId: string): Promise<RecoveryProgress | null> {
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select r.*,
        (select count(*)::int from forward_messages m where m.recovery_id = r.id and m.state = 'delivered') as delivered,
        (select count(*)::int from forward_messages m where m.recovery_id = r.id and m.state = 'waiting') as waiting,
        (select count(*)::int from forward_messages m where m.recovery_id = r.id and m.state = 'failed') as failed
        from forward_recoveries r where r.endpoint_id = ${endpointId} order by r.id desc limit 1`),
  );
  if (!row) return null;
  return {
    id: Number(row.id),
    endpointId: String(row.endpoint_id),
    since: new Date(row.since as string),
    total: Number(row.total),
    createdBy: String(row.created_by),
    createdAt: new Date(row.created_at as string),
    cancelledAt: row.cancelled_at ? new Date(row.cancelled_at as string) : null,
    delivered: Number(row.delivered),
    waiting: Number(row.waiting),
    failed: Number(row.failed),
  };
}

/** Stops a recovery: what it queued and is still waiting is failed again (a message being sent finishes). */
export async function cancelRecovery(db: Db, recoveryId: number, who: Who): Promise<number> {
  const stopped = await db
    .update(forwardMessages)
    .set({ state: "failed", lastError: `recovery ${recoveryId} cancelled by ${byWhom(who)}` })
    .where(
      and(
        eq(forwardMessages.recoveryId, recoveryId),
        eq(forwardMessages.state, "waiting"),
        sql`(${forwardMessages.claimedUntil} is null or ${forwardMessages.claimedUntil} <= clock_timestamp())`,
      ),
    )
    .returning({ id: forwardMessages.id });
  const [recovery] = await db
    .update(forwardRecoveries)
    .set({ cancelledAt: sql`coalesce(${forwardRecoveries.cancelledAt}, now())` })
    .where(eq(forwardRecoveries.id, recoveryId))
    .returning();
  if (!recovery) throw new AppError("not_found", "no such recovery");
  await recordAudit(db, {
    actor: who.actor,
    action: "forwarding.recover",
    outcome: "ok",
    target: { type: "forward-endpoint", id: recovery.endpointId },
    address: who.address,
    detail: { recoveryId, cancelled: true, stopped: stopped.length },
  });
  return stopped.length;
}

/** A test event to one endpoint (sent whatever its event types; no deposit is involved). */
export async function sendTestEvent(db: Db, endpointId: string, who: Who): Promise<{ messageId: number }> {
  const endpoint = await getEndpoint(db, endpointId);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(forwardMessages)
      .values({ endpointId: endpoint.id, type: TEST_EVENT_TYPE })
      .returning({ id: forwardMessages.id });
    if (!row) throw new Error("message insert returned nothing");
    await recordAudit(tx as Db, {
      actor: who.actor,
      action: "forwarding.test-event",
      outcome: "ok",
      target: { type: "forward-endpoint", id: endpoint.id },
      address: who.address,
      detail: { messageId: row.id, state: endpoint.state },
    });
    return { messageId: row.id };
  });
}
