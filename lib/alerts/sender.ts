import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import {
  type AlertMessage,
  alertChannels,
  alertIncidentEvents,
  alertIncidents,
  alertMessages,
} from "@/lib/db/schema";
import { metrics } from "@/lib/metrics/registry";
import { type AlertContent, sendAlert } from "./channels";

/**
 * The alerts' outbox sender, on every instance: due rows are claimed with FOR UPDATE SKIP LOCKED and a lease
 * (a row is sent by one instance; a crashed sender's lease expires and another takes it), sent, and retried on
 * forwarding's schedule until it runs out. Each channel has a rate limit: past it, messages wait for the next
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
  const { now } = options;
  const report: SendReport = { claimed: 0, sent: 0, retried: 0, failed: 0, postponed: 0 };
  const claimed = await db.transaction(async (tx) => {
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
      .limit(options.limit ?? 20)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(alertMessages)
      .set({ leaseUntil: new Date(now.getTime() + LEASE_MS) })
      .where(
        inArray(
          alertMessages.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
  report.claimed = claimed.length;
  for (const message of claimed.sort((a, b) => a.id - b.id)) {
    report[await sendOne(db, message, options)]++;
  }
  return report;
}

async function sendOne(
  db: Db,
  message: AlertMessage,
  options: SenderOptions,
): Promise<"sent" | "retried" | "failed" | "postponed"> {
  const { now } = options;
  const [channel] = await db.select().from(alertChannels).where(eq(alertChannels.id, message.channelId));
  const done = (outcome: "sent" | "retried" | "failed" | "postponed") => {
    metrics().alertMessages.inc({ channel_kind: channel?.kind ?? "deleted", outcome });
    return outcome;
  };
  if (!channel?.enabled) {
    await settle(
      db,
      message,
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
      .set({ nextAttemptAt: nextWindow, leaseUntil: null })
      .where(eq(alertMessages.id, message.id));
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
      { state: "failed", attempts, lastError: result.error },
      now,
      `could not tell ${channel.name} after ${attempts} attempts: ${result.error}`,
    );
    return done("failed");
  }
  const wait = Math.max(delay, (result.retryAfterSeconds ?? 0) * 1000);
  await db
    .update(alertMessages)
    .set({
      attempts,
      lastError: result.error,
      nextAttemptAt: new Date(now.getTime() + wait),
      leaseUntil: null,
    })
    .where(eq(alertMessages.id, message.id));
  return done("retried");
}

async function settle(
  db: Db,
  message: AlertMessage,
  set: Partial<Pick<AlertMessage, "state" | "attempts" | "sentAt" | "lastError">>,
  now: Date,
  event?: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(alertMessages)
      .set({ ...set, leaseUntil: null })
      .where(eq(alertMessages.id, message.id));
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
