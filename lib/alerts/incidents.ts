import { and, desc, eq, inArray, lt, ne, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { ALERT_REMINDER_MINUTES_SETTING, ALERT_RULES_SETTING } from "@/lib/alerts/settings";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { decodeCursor, EXACT_TIME, encodeCursor, exactTime, pastCursor } from "@/lib/db/keyset-cursor";
import { rowsOf } from "@/lib/db/rows";
import {
  type AlertIncident,
  type AlertMessageKind,
  alertChannels,
  alertConditions,
  alertIncidentEvents,
  alertIncidents,
  alertMessages,
} from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/http/describe-error";
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

// --- reading and acknowledging --------------------------------------------------------------------------------

export const incidentFiltersSchema = z.object({
  state: z.enum(["active", "open", "acknowledged", "resolved", "all"]).default("active"),
  before: z.string().max(200).optional(),
});
export type IncidentFilters = z.infer<typeof incidentFiltersSchema>;
export const INCIDENTS_PAGE = 50;
const cursorSchema = z.tuple([z.string().regex(EXACT_TIME), z.string().regex(/^\d{1,18}$/)]);

export async function listIncidents(
  db: Db,
  filters: IncidentFilters,
): Promise<{ incidents: AlertIncident[]; nextCursor: string | null }> {
  const where = [];
  if (filters.state === "active") where.push(ne(alertIncidents.state, "resolved"));
  else if (filters.state !== "all") where.push(eq(alertIncidents.state, filters.state));
  const after = decodeCursor(filters.before, cursorSchema);
  if (after) {
    const [time, id] = after;
    where.push(pastCursor(alertIncidents.openedAt, alertIncidents.id, { time, id }, "desc"));
  }
  const found = await db
    .select({ row: alertIncidents, cursorTime: exactTime(alertIncidents.openedAt) })
    .from(alertIncidents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(alertIncidents.openedAt), desc(alertIncidents.id))
    .limit(INCIDENTS_PAGE + 1);
  const page = found.slice(0, INCIDENTS_PAGE);
  const last = page.at(-1);
  return {
    incidents: page.map((f) => f.row),
    nextCursor:
      found.length > INCIDENTS_PAGE && last ? encodeCursor([last.cursorTime, String(last.row.id)]) : null,
  };
}

export type IncidentHistory = { at: string; kind: string; detail: string }[];

export async function incidentHistory(db: Db, incidentIds: number[]): Promise<Map<number, IncidentHistory>> {
  const out = new Map<number, IncidentHistory>();
  if (incidentIds.length === 0) return out;
  const rows = await db
    .select()
    .from(alertIncidentEvents)
    .where(inArray(alertIncidentEvents.incidentId, incidentIds))
    .orderBy(alertIncidentEvents.incidentId, alertIncidentEvents.id);
  for (const row of rows) {
    const list = out.get(row.incidentId) ?? [];
    list.push({ at: row.at.toISOString(), kind: row.kind, detail: row.detail });
    out.set(row.incidentId, list);
  }
  return out;
}

export async function countActiveIncidents(db: Db): Promise<{ open: number; acknowledged: number }> {
  const rows = await db
    .select({ state: alertIncidents.state, n: sql<number>`count(*)::int` })
    .from(alertIncidents)
    .where(ne(alertIncidents.state, "resolved"))
    .groupBy(alertIncidents.state);
  return {
    open: rows.find((r) => r.state === "open")?.n ?? 0,
    acknowledged: rows.find((r) => r.state === "acknowledged")?.n ?? 0,
  };
}

export const acknowledgeSchema = z.strictObject({
  id: z.number().int().positive(),
  note: z.string().trim().max(500, "at most 500 characters").optional(),
});

/** Someone is on it: no more reminders (the resolution is still sent). Audited; a second click says who was first. */
export async function acknowledgeIncident(
  db: Db,
  input: z.infer<typeof acknowledgeSchema>,
  by: { actor: AuditActor; label: string; address: string | null },
  now = new Date(),
): Promise<AlertIncident> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(alertIncidents)
      .set({ state: "acknowledged", acknowledgedAt: now, acknowledgedBy: by.label })
      .where(and(eq(alertIncidents.id, input.id), eq(alertIncidents.state, "open")))
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(alertIncidents).where(eq(alertIncidents.id, input.id));
      if (!existing) throw new AppError("not_found", "No such incident.");
      throw new AppError(
        "conflict",
        existing.state === "acknowledged"
          ? `Already acknowledged by ${existing.acknowledgedBy ?? "someone"}.`
          : "This incident is resolved.",
      );
    }
    const detail = `acknowledged by ${by.label}${input.note ? `: ${input.note}` : ""}`;
    await tx
      .insert(alertIncidentEvents)
      .values({ incidentId: row.id, at: now, kind: "acknowledged", detail });
    await recordAudit(tx, {
      actor: by.actor,
      action: "alert.acknowledge",
      outcome: "ok",
      target: { type: "alert-incident", id: String(row.id) },
      address: by.address,
      detail: { rule: row.rule, subject: row.subject, note: input.note ?? null },
    });
    return row;
  });
}
