import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import {
  encodeNotification,
  type NotificationInput,
  notificationHeaders,
  signNotification,
} from "@/lib/skinsback/notification-builder";
import { depositObject, type SandboxContext, type SandboxDeposit } from "./engine";
import { sandboxCallbackErrors, sandboxDeposits, sandboxNotifications } from "./schema";
import { isHidden, readSwitches } from "./switches";

/**
 * The sandbox's outbox: notifications queued by the lifecycle, claimed with FOR UPDATE SKIP LOCKED and expiring
 * claims (so several instances never send one twice), signed and posted to the Result URL, failures listed in
 * callback_error_list.
 */

export type DeliveryReport = { sent: number; accepted: number; failed: number };

/**
 * Sends due notifications. Claims are taken with SKIP LOCKED and expire, so several instances can run this
 * without sending one notification twice, and a crashed sender's claims are picked up again.
 */
export async function deliverDue(
  ctx: SandboxContext,
  now: Date,
  limit = 100,
  concurrency = 8,
): Promise<DeliveryReport> {
  const switches = await readSwitches(ctx.db);
  if (switches.holdNotifications) return { sent: 0, accepted: 0, failed: 0 };
  const claimed = await ctx.db.transaction(async (tx) => {
    const ids = await tx
      .select({ id: sandboxNotifications.id })
      .from(sandboxNotifications)
      .where(
        and(
          isNull(sandboxNotifications.deliveredAt),
          eq(sandboxNotifications.failed, false),
          lte(sandboxNotifications.deliverAt, now),
          or(isNull(sandboxNotifications.claimedUntil), lte(sandboxNotifications.claimedUntil, now)),
        ),
      )
      .orderBy(
        asc(sandboxNotifications.deliverAt),
        desc(sandboxNotifications.transactionId),
        asc(sandboxNotifications.id),
      )
      .limit(limit)
      .for("update", { skipLocked: true });
    if (ids.length === 0) return [];
    return tx
      .update(sandboxNotifications)
      .set({
        claimedUntil: new Date(now.getTime() + 60_000),
        attempts: sql`${sandboxNotifications.attempts} + 1`,
      })
      .where(
        inArray(
          sandboxNotifications.id,
          ids.map((r) => r.id),
        ),
      )
      .returning();
  });
  if (claimed.length === 0) return { sent: 0, accepted: 0, failed: 0 };

  claimed.sort(
    (a, b) =>
      a.deliverAt.getTime() - b.deliverAt.getTime() || b.transactionId - a.transactionId || a.id - b.id,
  );
  const deposits = await ctx.db
    .select()
    .from(sandboxDeposits)
    .where(inArray(sandboxDeposits.transactionId, [...new Set(claimed.map((n) => n.transactionId))]));
  const byId = new Map(deposits.map((d) => [d.transactionId, d]));

  // Notifications of one deposit go out one after another, in queue order; different deposits in parallel.
  const lanes = new Map<number, typeof claimed>();
  for (const n of claimed) lanes.set(n.transactionId, [...(lanes.get(n.transactionId) ?? []), n]);
  const queue = [...lanes.values()];
  const outcomes: { id: number; deposit: SandboxDeposit; httpCode: string; ok: boolean }[] = [];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const n of lane) {
        const d = byId.get(n.transactionId);
        if (!d) continue;
        const url = n.targetUrl === "failing" ? ctx.failingResultUrl : (d.resultUrl ?? ctx.resultUrl);
        // Silent loss: a proxy answered 200 for the console and dropped the request; SkinsBack thinks it arrived.
        const httpCode =
          switches.silentLoss && isHidden(n.id)
            ? LOST_HTTP_CODE
            : await post(ctx, url, depositObject(d, n.status), switches.encoding);
        outcomes.push({ id: n.id, deposit: d, httpCode, ok: /^2\d\d$/.test(httpCode) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  // The outcomes of the whole batch in one transaction: one write per batch rather than per notification keeps
  // a first start's thousands of deliveries quick on the single-connection embedded database. A crash before
  // this commit leaves the claims to expire and the batch is sent again, which the receiver records as duplicates.
  const accepted = outcomes.filter((o) => o.ok);
  const refused = outcomes.filter((o) => !o.ok);
  await ctx.db.transaction(async (tx) => {
    // Usually one statement for all accepted and one for all refused: grouped by what the Result URL answered.
    for (const key of new Set(outcomes.map((o) => `${o.ok}:${o.httpCode}`))) {
      const group = outcomes.filter((o) => `${o.ok}:${o.httpCode}` === key);
      const { ok, httpCode } = group[0] as (typeof outcomes)[number];
      await tx
        .update(sandboxNotifications)
        .set(
          ok ? { deliveredAt: new Date(), lastHttpCode: httpCode } : { failed: true, lastHttpCode: httpCode },
        )
        .where(
          inArray(
            sandboxNotifications.id,
            group.map((o) => o.id),
          ),
        );
    }
    if (refused.length > 0) {
      await tx.insert(sandboxCallbackErrors).values(
        refused.map((o) => ({
          transactionId: o.deposit.transactionId,
          orderId: o.deposit.orderId,
          httpCode: o.httpCode,
        })),
      );
    }
  });
  return { sent: outcomes.length, accepted: accepted.length, failed: refused.length };
}

/** What a notification swallowed by silent loss records: a 200 that never reached the console. */
export const LOST_HTTP_CODE = "200";

/** One signed POST to the Result URL; the HTTP status as text, "0" when there was no answer. */
export async function post(
  ctx: SandboxContext,
  url: string,
  input: NotificationInput,
  encoding: "json" | "form",
): Promise<string> {
  const fields = signNotification(input, ctx.clientSecret);
  const { body, contentType } = encodeNotification(fields, encoding);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        ...notificationHeaders(ctx.clientId, ctx.clientSecret, contentType),
        "user-agent": "SkinsBack-Sandbox/1.0",
      },
      body,
      signal: AbortSignal.timeout(ctx.deliveryTimeoutMs ?? 10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return String(response.status);
  } catch {
    return "0";
  }
}
