import { and, eq, inArray, lt, ne, notInArray, sql } from "drizzle-orm";
import { ALERT_REMINDER_MINUTES_SETTING, ALERT_RULES_SETTING } from "@/lib/alerts/settings";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import {
  type AlertMessageKind,
  alertChannels,
  alertConditions,
  alertIncidentEvents,
  alertIncidents,
  alertMessages,
} from "@/lib/db/schema";
import { describeError } from "@/lib/errors/describe-error";
import { readSetting } from "@/lib/settings/store";
import { formatDuration } from "@/lib/time/format";
import { effectiveRule, pendingMinutes, RULE_NAMES, type RuleName } from "./rule-schemas";
import { type Finding, RULE_EVALUATORS } from "./rules";

/**
 * Incidents, as Hookdeck's issues and Grafana's alerting keep them: one per (rule, subject) while it lasts. A
 * message goes out when it opens, a reminder every `alerts.reminder-minutes` while it is open and not
 * acknowledged, and one when it resolves. Every decision is a conditional write in the database, so two
 * instances evaluating at once still open, remind and resolve each incident once: the partial unique index on
 * unresolved (rule, subject) admits one opening, and a reminder or a resolution is an UPDATE … RETURNING that one
 * of them wins. The message rows are written in the same transaction as the decision: nothing decided is lost.
 */

export type EvaluationReport = { opened: number; reminded: number; resolved: number; errors: string[] };

export async function evaluateAlerts(
  db: Db,
  options: { now: Date; clientId: string },
): Promise<EvaluationReport> {
  const { now } = options;
  const report: EvaluationReport = { opened: 0, reminded: 0, resolved: 0, errors: [] };
  const stored = await readSetting(db, ALERT_RULES_SETTING);
  const reminderMs = (await readSetting(db, ALERT_REMINDER_MINUTES_SETTING)) * 60_000;
  for (const name of RULE_NAMES) {
    const settings = effectiveRule(stored, name);
    let findings: Finding[];
    try {
      const evaluate = RULE_EVALUATORS[name] as (ctx: unknown, s: unknown) => Promise<Finding[]>;
      findings = settings.enabled ? await evaluate({ db, now, clientId: options.clientId }, settings) : [];
    } catch (error) {
      // A rule that cannot be read this round leaves its incidents as they are.
      report.errors.push(`${name}: ${describeError(error)}`);
      continue;
    }
    const pendingMs = pendingMinutes(name, settings as never) * 60_000;
    const current: string[] = [];
    for (const finding of findings) {
      current.push(finding.subject);
      if (pendingMs > 0 && !(await heldLongEnough(db, name, finding.subject, now, pendingMs))) continue;
      const outcome = await openOrRemind(db, name, finding, settings.channels, now, reminderMs);
      if (outcome === "opened") report.opened++;
      if (outcome === "reminded") report.reminded++;
    }
    await db
      .delete(alertConditions)
      .where(
        and(
          eq(alertConditions.rule, name),
          current.length ? notInArray(alertConditions.subject, current) : undefined,
        ),
      );
    report.resolved += await resolveGone(db, name, current, settings.channels, now);
  }
  return report;
}

/** The condition's pending period: true once it has held for `pendingMs` (its start kept in alert_conditions). */
async function heldLongEnough(
  db: Db,
  rule: RuleName,
  subject: string,
  now: Date,
  pendingMs: number,
): Promise<boolean> {
  await db.insert(alertConditions).values({ rule, subject, since: now }).onConflictDoNothing();
  const [row] = await db
    .select({ since: alertConditions.since })
    .from(alertConditions)
    .where(and(eq(alertConditions.rule, rule), eq(alertConditions.subject, subject)));
  return row !== undefined && now.getTime() - row.since.getTime() >= pendingMs;
}

async function openOrRemind(
  db: Db,
  rule: RuleName,
  finding: Finding,
  channelIds: number[],
  now: Date,
  reminderMs: number,
): Promise<"opened" | "reminded" | "unchanged"> {
  return db.transaction(async (tx) => {
    const [opened] = rowsOf<{ id: number | string }>(
      await tx.execute(sql`
        insert into alert_incidents (rule, subject, title, detail, link, opened_at, last_notified_at)
        values (${rule}, ${finding.subject}, ${finding.title}, ${finding.text}, ${finding.link}, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
        on conflict (rule, subject) where state <> 'resolved' do nothing
        returning id`),
    );
    if (opened) {
      const id = Number(opened.id);
      await tx
        .insert(alertIncidentEvents)
        .values({ incidentId: id, at: now, kind: "opened", detail: finding.text });
      await queueMessages(tx, id, "opened", finding.title, finding.text, channelIds, now);
      return "opened";
    }
    const [reminded] = await tx
      .update(alertIncidents)
      .set({
        lastNotifiedAt: now,
        reminders: sql`${alertIncidents.reminders} + 1`,
        title: finding.title,
        detail: finding.text,
      })
      .where(
        and(
          eq(alertIncidents.rule, rule),
          eq(alertIncidents.subject, finding.subject),
          eq(alertIncidents.state, "open"),
          lt(alertIncidents.lastNotifiedAt, new Date(now.getTime() - reminderMs + 1)),
        ),
      )
      .returning({ id: alertIncidents.id });
    if (reminded) {
      await tx
        .insert(alertIncidentEvents)
        .values({ incidentId: reminded.id, at: now, kind: "reminder", detail: finding.text });
      await queueMessages(tx, reminded.id, "reminder", finding.title, finding.text, channelIds, now);
      return "reminded";
    }
    // Still open, not due for a reminder: its words follow what is true now.
    await tx
      .update(alertIncidents)
      .set({ title: finding.title, detail: finding.text })
      .where(
        and(
          eq(alertIncidents.rule, rule),
          eq(alertIncidents.subject, finding.subject),
          ne(alertIncidents.state, "resolved"),
        ),
      );
    return "unchanged";
  });
}

/** Incidents of `rule` whose subject is no longer wrong: resolved, each once, with its message. */
async function resolveGone(
  db: Db,
  rule: RuleName,
  current: string[],
  channelIds: number[],
  now: Date,
): Promise<number> {
  return db.transaction(async (tx) => {
    const resolved = await tx
      .update(alertIncidents)
      .set({ state: "resolved", resolvedAt: now })
      .where(
        and(
          eq(alertIncidents.rule, rule),
          ne(alertIncidents.state, "resolved"),
          current.length ? notInArray(alertIncidents.subject, current) : undefined,
        ),
      )
      .returning();
    for (const incident of resolved) {
      const text = `Resolved after ${formatDuration(now.getTime() - incident.openedAt.getTime())}: ${incident.detail}`;
      await tx.insert(alertIncidentEvents).values({
        incidentId: incident.id,
        at: now,
        kind: "resolved",
        detail: "the condition no longer holds",
      });
      await queueMessages(tx, incident.id, "resolved", incident.title, text, channelIds, now);
    }
    return resolved.length;
  });
}

/** One outbox row per channel: the rule's channels, or every enabled channel when it names none. */
async function queueMessages(
  tx: Db,
  incidentId: number,
  kind: AlertMessageKind,
  title: string,
  text: string,
  channelIds: number[],
  now: Date,
): Promise<void> {
  const channels = await tx
    .select({ id: alertChannels.id, name: alertChannels.name })
    .from(alertChannels)
    .where(
      and(
        eq(alertChannels.enabled, true),
        channelIds.length ? inArray(alertChannels.id, channelIds) : undefined,
      ),
    );
  if (channels.length === 0) {
    await tx.insert(alertIncidentEvents).values({
      incidentId,
      at: now,
      kind: "not-sent",
      detail: "no enabled channel to tell (Settings → Alerts)",
    });
    return;
  }
  await tx.insert(alertMessages).values(
    channels.map((c) => ({
      incidentId,
      channelId: c.id,
      kind,
      title,
      text,
      nextAttemptAt: now,
      createdAt: now,
    })),
  );
}
