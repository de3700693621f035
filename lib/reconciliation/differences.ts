import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { decodeCursor, EXACT_TIME, encodeCursor, exactTime, pastCursor } from "@/lib/db/keyset-cursor";
import {
  DIFFERENCE_KINDS,
  DIFFERENCE_STATES,
  type DifferenceKind,
  type DifferenceState,
  type ReconcileDifference,
  reconcileDifferences,
} from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { csvCell } from "@/lib/text/csv-cell";

/**
 * The differences reconciliation and the watchdogs found: one row per (deposit, kind), recorded, listed and
 * decided here. A fix the console applied is recorded resolved at once (its note says what moved); a flag stays
 * open until a person decides it or the two sides agree again.
 */

/** Kinds a person must decide; `missing` and `behind` were fixed by the console. */
export const FLAGGED_KINDS = [
  "contradiction",
  "amount",
  "unknown_at_skinsback",
  "stuck",
] as const satisfies readonly DifferenceKind[];

export const DIFFERENCE_LABELS: Record<DifferenceKind, string> = {
  missing: "Missing here (applied)",
  behind: "Console behind (applied)",
  contradiction: "Contradiction",
  amount: "Money differs",
  unknown_at_skinsback: "Unknown at SkinsBack",
  stuck: "Stuck",
};

export type Side = Record<string, string | null>;

type Found = {
  transactionId: string;
  orderId: string | null;
  kind: DifferenceKind;
  ours: Side | null;
  theirs: Side | null;
  detail: string;
  runId: number | null;
};

/** A fix the console applied: recorded resolved, with what moved. */
export async function recordApplied(db: Db, found: Found, note: string): Promise<void> {
  const values = {
    ...found,
    state: "resolved" as const,
    note,
    decidedBy: "console",
    decidedAt: sql`clock_timestamp()`,
  };
  await db
    .insert(reconcileDifferences)
    .values(values)
    .onConflictDoUpdate({
      target: [reconcileDifferences.transactionId, reconcileDifferences.kind],
      set: { ...values, lastSeenAt: sql`clock_timestamp()` },
    });
}

/**
 * A flag: opened, or seen again. One that was resolved opens again (it is still different); one a person
 * acknowledged or ignored keeps that decision. The team hears of open flags through the alert rules.
 */
export async function recordFlag(db: Db, found: Found): Promise<void> {
  await db
    .insert(reconcileDifferences)
    .values({ ...found, state: "open" })
    .onConflictDoUpdate({
      target: [reconcileDifferences.transactionId, reconcileDifferences.kind],
      set: {
        ours: found.ours,
        theirs: found.theirs,
        detail: found.detail,
        runId: found.runId,
        lastSeenAt: sql`clock_timestamp()`,
        state: sql`case when ${reconcileDifferences.state} = 'resolved' then 'open' else ${reconcileDifferences.state} end`,
        note: sql`case when ${reconcileDifferences.state} = 'resolved' then null else ${reconcileDifferences.note} end`,
      },
    });
}

/** Flags of these deposits (of `kinds`) not yet decided by a person are resolved: the two sides agree now. */
export async function resolveAgreed(
  db: Db,
  transactionIds: string[],
  kinds: readonly DifferenceKind[],
  note: string,
): Promise<number> {
  if (transactionIds.length === 0) return 0;
  const rows = await db
    .update(reconcileDifferences)
    .set({ state: "resolved", note, decidedBy: "console", decidedAt: sql`clock_timestamp()` })
    .where(
      and(
        inArray(reconcileDifferences.transactionId, transactionIds),
        inArray(reconcileDifferences.kind, [...kinds]),
        inArray(reconcileDifferences.state, ["open", "acknowledged"]),
      ),
    )
    .returning({ id: reconcileDifferences.id });
  return rows.length;
}

export const differenceFiltersSchema = z.object({
  state: z.enum([...DIFFERENCE_STATES, "all"]).default("open"),
  kind: z.enum(DIFFERENCE_KINDS).optional(),
  before: z.string().max(200).optional(),
});
export type DifferenceFilters = z.infer<typeof differenceFiltersSchema>;

export const DIFFERENCES_PAGE = 50;
const cursorSchema = z.tuple([z.string().regex(EXACT_TIME), z.string().regex(/^\d{1,18}$/)]);

function filterWhere(filters: Omit<DifferenceFilters, "before">): SQL[] {
  const where: SQL[] = [];
  if (filters.state !== "all") where.push(eq(reconcileDifferences.state, filters.state));
  if (filters.kind) where.push(eq(reconcileDifferences.kind, filters.kind));
  return where;
}

/** Newest seen first, pages of 50 (keyset on last_seen_at, id). */
export async function listDifferences(
  db: Db,
  filters: DifferenceFilters,
  limit = DIFFERENCES_PAGE,
): Promise<{ rows: ReconcileDifference[]; nextCursor: string | null }> {
  const where = filterWhere(filters);
  const after = decodeCursor(filters.before, cursorSchema);
  if (after) {
    const [time, id] = after;
    where.push(pastCursor(reconcileDifferences.lastSeenAt, reconcileDifferences.id, { time, id }, "desc"));
  }
  const found = await db
    .select({ row: reconcileDifferences, cursorTime: exactTime(reconcileDifferences.lastSeenAt) })
    .from(reconcileDifferences)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(reconcileDifferences.lastSeenAt), desc(reconcileDifferences.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((f) => f.row),
    nextCursor: found.length > limit && last ? encodeCursor([last.cursorTime, String(last.row.id)]) : null,
  };
}

/** Open or acknowledged flags per kind (the page's tabs, the overview, the alert rules). */
export async function countUndecided(db: Db): Promise<Record<DifferenceKind, number>> {
  const rows = await db
    .select({ kind: reconcileDifferences.kind, n: sql<number>`count(*)::int` })
    .from(reconcileDifferences)
    .where(inArray(reconcileDifferences.state, ["open", "acknowledged"]))
    .groupBy(reconcileDifferences.kind);
  const counts = Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as Record<DifferenceKind, number>;
  for (const row of rows) counts[row.kind] = row.n;
  return counts;
}

export const decideDifferenceSchema = z.strictObject({
  id: z.number().int().positive(),
  state: z.enum(["acknowledged", "resolved", "ignored", "open"]),
  note: z.string().trim().min(3, "say why, in a few words").max(1000, "at most 1,000 characters"),
});

/** A person's decision on a difference, with their note; audited in the same transaction. */
export async function decideDifference(
  db: Db,
  input: z.infer<typeof decideDifferenceSchema>,
  by: { actor: AuditActor; label: string; address: string | null },
): Promise<ReconcileDifference> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(reconcileDifferences)
      .set({
        state: input.state as DifferenceState,
        note: input.note,
        decidedBy: by.label,
        decidedAt: sql`clock_timestamp()`,
      })
      .where(eq(reconcileDifferences.id, input.id))
      .returning();
    if (!row) throw new AppError("not_found", "No such difference.");
    await recordAudit(tx, {
      actor: by.actor,
      action: "reconcile.decide",
      outcome: "ok",
      target: { type: "reconcile-difference", id: String(row.id) },
      transactionId: row.transactionId,
      address: by.address,
      detail: { kind: row.kind, state: input.state, note: input.note },
    });
    return row;
  });
}

export const DIFFERENCES_EXPORT_CAP = 50_000;

/** The differences of these filters as CSV (newest seen first, at most DIFFERENCES_EXPORT_CAP rows). */
export async function differencesCsv(
  db: Db,
  filters: Omit<DifferenceFilters, "before">,
): Promise<{ csv: string; rows: number }> {
  const header = [
    "last_seen_at",
    "transaction_id",
    "order_id",
    "kind",
    "state",
    "ours_status",
    "ours_amount",
    "skinsback_status",
    "skinsback_amount",
    "currency",
    "detail",
    "note",
    "decided_by",
  ];
  const lines = [header.join(",")];
  let before: string | undefined;
  let rows = 0;
  while (rows < DIFFERENCES_EXPORT_CAP) {
    const page = await listDifferences(db, { ...filters, before }, 1_000);
    for (const d of page.rows) {
      lines.push(
        [
          d.lastSeenAt.toISOString(),
          d.transactionId,
          d.orderId,
          d.kind,
          d.state,
          d.ours?.status,
          d.ours?.amount,
          d.theirs?.status,
          d.theirs?.amount,
          d.theirs?.currency ?? d.ours?.currency,
          d.detail,
          d.note,
          d.decidedBy,
        ]
          .map(csvCell)
          .join(","),
      );
    }
    rows += page.rows.length;
    if (!page.nextCursor) break;
    before = page.nextCursor;
  }
  return { csv: `${lines.join("\r\n")}\r\n`, rows };
}
