import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { decodeCursor, EXACT_TIME, encodeCursor, exactTime, pastCursor } from "@/lib/db/keyset-cursor";
import { type AlertIncident, alertIncidentEvents, alertIncidents } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";

/**
 * Incidents as people read and act on them: the list (keyset pages at the database's precision), each one's
 * history, the active counts, and acknowledging one. What opens, reminds and resolves them is ./incidents.ts.
 */

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
