import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { assertLeaseHeld, LeaseLostError, newLeaseToken } from "@/lib/db/lease";
import { rowsOf } from "@/lib/db/rows";
import {
  type AlertMessage,
  alertChannels,
  alertIncidentEvents,
  alertIncidents,
  alertMessages,
} from "@/lib/db/schema";
import { retryWaitMs } from "@/lib/forwarding/http-post";
import { metrics } from "@/lib/metrics/registry";
import { type AlertContent, sendAlert } from "./channels";

/**
 * The alerts' outbox sender, on every instance: due rows are claimed with FOR UPDATE SKIP LOCKED and a lease with
 * a token (a row is sent by one instance; a crashed or paused sender's lease expires and another takes it, and
 * the paused one, finding its token gone, sends nothing more), sent, and retried on forwarding's rule
 * (`retryWaitMs`) until the schedule runs out. Each channel has a rate limit: past it, messages wait for the next
 * window rather than being dropped.
 */

export const CHANNEL_RATE_LIMIT = { messages: 30, windowMs: 10 * 60_000 };
const LEASE_MS = 60_000;

export type SenderOptions = {
  now: Date;
  appOrigin: string;
  allowInternal: boolean;
  retryScheduleMs: number[];
  limit?: number;
};

export type SendReport = {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  postponed: number;
};

export async function deliverAlerts(db: Db, options: SenderOptions): Promise<SendReport> {
  return sendClaimedAlerts(db, await claimAlertMessages(db, options.now, options.limit ?? 20), options);
}

/** A batch of due messages this sender holds, under one lease token (lib/db/lease.ts). */
export type AlertClaim = { token: string; messages: AlertMessage[] };

/** Claims up to `limit` due messages: FOR UPDATE SKIP LOCKED, then a lease and a fresh token on each. */
export async function claimAlertMessages(db: Db, now: Date, limit: number): Promise<AlertClaim> {
  const token = newLeaseToken();
  const messages = await db.transaction(async (tx) => {
    const due = await tx
      .select({ id: alertMessages.id })
      .from(alertMessages)
      .where(
        and(
          eq(alertMessages.state, "waiting"),
          lte(alertMessages.nextAttemptAt, now),
          or(isNull(alertMessages.leaseUntil), lt(alertMessages.leaseUntil, now)),
        ),
      )
      .orderBy(asc(alertMessages.nextAttemptAt), asc(alertMessages.id))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(alertMessages)
      .set({ leaseUntil: new Date(now.getTime() + LEASE_MS), leaseToken: token })
      .where(
        inArray(
          alertMessages.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
  return { token, messages };
}

/**
 * Sends what `claim` holds, one message at a time. Before each send the lease is renewed for that send alone, and
 * only while the claim's token still holds it: a sender paused past its lease finds the message taken over and
 * stops, so nothing is sent twice. Every write after the send names the token too.
 */
export async function sendClaimedAlerts(
  db: Db,
  claim: AlertClaim,
  options: SenderOptions,
): Promise<SendReport> {
  const report: SendReport = { claimed: claim.messages.length, sent: 0, retried: 0, failed: 0, postponed: 0 };
  for (const message of [...claim.messages].sort((a, b) => a.id - b.id)) {
    try {
      report[await sendOne(db, message, claim.token, options)]++;
    } catch (error) {
      if (error instanceof LeaseLostError) break;
      throw error;
    }
  }
  return report;
}

async function sendOne(
  db: Db,
  message: AlertMessage,
  token: string,
  options: SenderOptions,
): Promise<"sent" | "retried" | "failed" | "postponed"> {
  const { now } = options;
  const held = and(eq(alertMessages.id, message.id), eq(alertMessages.leaseToken, token));
  const renewed = await db
    .update(alertMessages)
    .set({ leaseUntil: new Date(now.getTime() + LEASE_MS) })
    .where(and(held, eq(alertMessages.state, "waiting")))
    .returning({ id: alertMessages.id });
  assertLeaseHeld(renewed.length, `alert message ${message.id}`);
  const [channel] = await db.select().from(alertChannels).where(eq(alertChannels.id, message.channelId));
  const done = (outcome: "sent" | "retried" | "failed" | "postponed") => {
    metrics().alertMessages.inc({ channel_kind: channel?.kind ?? "deleted", outcome });
    return outcome;
  };
  if (!channel?.enabled) {
    await settle(
      db,
      message,
      token,
      { state: "failed", lastError: "the channel was turned off before it was sent" },
      now,
    );
    return done("failed");
  }
  if (!(await takeChannelSlot(db, channel.id, now))) {
    const [row] = await db
      .select({ start: alertChannels.windowStartedAt })
      .from(alertChannels)
      .where(eq(alertChannels.id, channel.id));
    const nextWindow = new Date((row?.start?.getTime() ?? now.getTime()) + CHANNEL_RATE_LIMIT.windowMs);
    await db
      .update(alertMessages)
      .set({ nextAttemptAt: nextWindow, leaseUntil: null, leaseToken: null })
      .where(held);
    return done("postponed");
  }
  const incident = message.incidentId
    ? (await db.select().from(alertIncidents).where(eq(alertIncidents.id, message.incidentId)))[0]
    : undefined;
  const content: AlertContent = {
    messageId: message.id,
    kind: message.kind,
    title: message.title,
    text: message.text,
    link: incident?.link
      ? `${options.appOrigin}${incident.link}`
      : message.kind === "test"
        ? `${options.appOrigin}/alerts`
        : null,
    incident: incident
      ? {
          id: incident.id,
          rule: incident.rule,
          subject: incident.subject,
          state: incident.state,
          openedAt: incident.openedAt.toISOString(),
        }
      : null,
    createdAt: message.createdAt,
  };
  const result = await sendAlert(channel, content, {
    allowInternal: options.allowInternal || channel.allowPrivateNetwork,
    now,
  });
  const attempts = message.attempts + 1;
  if (result.ok) {
    await settle(
      db,
      message,
      token,
      { state: "sent", attempts, sentAt: now, lastError: null },
      now,
      `told ${channel.name}`,
    );
    return done("sent");
  }
  const delay = options.retryScheduleMs[attempts];
  if (delay === undefined) {
    await settle(
      db,
      message,
      token,
      { state: "failed", attempts, lastError: result.error },
      now,
      `could not tell ${channel.name} after ${attempts} attempts: ${result.error}`,
    );
    return done("failed");
  }
  await db
    .update(alertMessages)
    .set({
      attempts,
      lastError: result.error,
      nextAttemptAt: new Date(now.getTime() + retryWaitMs(result, delay)),
      leaseUntil: null,
      leaseToken: null,
    })
    .where(held);
  return done("retried");
}

async function settle(
  db: Db,
  message: AlertMessage,
  token: string,
  set: Partial<Pick<AlertMessage, "state" | "attempts" | "sentAt" | "lastError">>,
  now: Date,
  event?: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const written = await tx
      .update(alertMessages)
      .set({ ...set, leaseUntil: null, leaseToken: null })
      .where(and(eq(alertMessages.id, message.id), eq(alertMessages.leaseToken, token)))
      .returning({ id: alertMessages.id });
    assertLeaseHeld(written.length, `alert message ${message.id}`);
    if (message.incidentId && event) {
      await tx.insert(alertIncidentEvents).values({
        incidentId: message.incidentId,
        at: now,
        kind: set.state === "sent" ? "sent" : "send-failed",
        detail: `${message.kind}: ${event}`,
      });
    }
  });
}

/** One message's room in the channel's window, or false when the window is full. */
async function takeChannelSlot(db: Db, channelId: number, now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - CHANNEL_RATE_LIMIT.windowMs).toISOString();
  const rows = rowsOf<{ id: number }>(
    await db.execute(sql`
      update alert_channels set
        window_started_at = case when window_started_at is null or window_started_at <= ${windowStart}::timestamptz
                                 then ${now.toISOString()}::timestamptz else window_started_at end,
        sent_in_window = case when window_started_at is null or window_started_at <= ${windowStart}::timestamptz
                              then 1 else sent_in_window + 1 end
      where id = ${channelId}
        and (window_started_at is null or window_started_at <= ${windowStart}::timestamptz or sent_in_window < ${CHANNEL_RATE_LIMIT.messages})
      returning id`),
  );
  return rows.length === 1;
}
