import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { deposits, reconcileDifferences, watchdogChecks } from "@/lib/db/schema";
import { applySkinsbackTruth } from "@/lib/deposits/skinsback-truth";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import { SkinsBackApiError } from "@/lib/skinsback/errors";
import { recordFlag, resolveAgreed } from "./differences";

/**
 * The watchdogs: deposits that should have moved and did not. `pending` for longer than `pendingAfterMs`, or
 * `in_hold` / `hold_approved` past `in_hold_until` plus `holdGraceMs`, are asked about with `orderstatus` once
 * per deposit per interval and what SkinsBack answers is applied through the ingest call (source `watchdog`).
 * What is still waiting after that is flagged `stuck` (a deposit-list filter, an overview card, an alert); a
 * stuck flag whose deposit has moved on is resolved.
 */

export type WatchdogSettings = {
  pendingAfterMs: number;
  holdGraceMs: number;
  /** A deposit is asked about at most once per this. */
  recheckAfterMs: number;
  /** Deposits asked about per run (each is one call of the shared budget). */
  maxChecks: number;
};

export const DEFAULT_WATCHDOG: WatchdogSettings = {
  pendingAfterMs: 2 * 3_600_000,
  holdGraceMs: 3_600_000,
  recheckAfterMs: 15 * 60_000,
  maxChecks: 100,
};

export type WatchdogReport = {
  overdue: number;
  checked: number;
  moved: number;
  stuck: number;
  cleared: number;
};

export async function runWatchdog(
  db: Db,
  client: SkinsbackClient,
  now: Date,
  settings: WatchdogSettings = DEFAULT_WATCHDOG,
): Promise<WatchdogReport> {
  const report: WatchdogReport = { overdue: 0, checked: 0, moved: 0, stuck: 0, cleared: 0 };
  // Stuck flags of deposits that have moved on since (by a notification, a replay, a reconciliation).
  const moved = await db
    .select({ transactionId: reconcileDifferences.transactionId })
    .from(reconcileDifferences)
    .innerJoin(deposits, eq(deposits.transactionId, reconcileDifferences.transactionId))
    .where(
      and(
        eq(reconcileDifferences.kind, "stuck"),
        inArray(reconcileDifferences.state, ["open", "acknowledged"]),
        sql`${deposits.status}::text <> coalesce(${reconcileDifferences.ours}->>'status', '')`,
      ),
    );
  report.cleared = await resolveAgreed(
    db,
    moved.map((m) => m.transactionId),
    ["stuck"],
    "the deposit has moved on",
  );

  const pendingBefore = new Date(now.getTime() - settings.pendingAfterMs);
  const holdBefore = new Date(now.getTime() - settings.holdGraceMs);
  const recheckBefore = new Date(now.getTime() - settings.recheckAfterMs);
  // Each arm is served by an index (status + created_at; the partial in_hold_until indexes).
  const overdue = await db
    .select({
      transactionId: deposits.transactionId,
      orderId: deposits.orderId,
      status: deposits.status,
      createdAt: deposits.createdAt,
      inHoldUntil: deposits.inHoldUntil,
    })
    .from(deposits)
    .leftJoin(watchdogChecks, eq(watchdogChecks.transactionId, deposits.transactionId))
    .where(
      and(
        or(
          and(eq(deposits.status, "pending"), lt(deposits.createdAt, pendingBefore)),
          and(eq(deposits.status, "in_hold"), lt(deposits.inHoldUntil, holdBefore)),
          and(eq(deposits.status, "hold_approved"), lt(deposits.inHoldUntil, holdBefore)),
        ),
        or(isNull(watchdogChecks.checkedAt), lt(watchdogChecks.checkedAt, recheckBefore)),
      ),
    )
    .orderBy(sql`${watchdogChecks.checkedAt} asc nulls first`, deposits.transactionId)
    .limit(settings.maxChecks);
  report.overdue = overdue.length;

  for (const deposit of overdue) {
    await db
      .insert(watchdogChecks)
      .values({ transactionId: deposit.transactionId, checkedAt: now })
      .onConflictDoUpdate({
        target: watchdogChecks.transactionId,
        set: { checkedAt: now, checks: sql`${watchdogChecks.checks} + 1` },
      });
    report.checked++;
    let answer: string;
    try {
      const truth = await applySkinsbackTruth(db, client, deposit.transactionId, "watchdog");
      if (truth.ok && truth.observed.outcome === "applied") {
        report.moved++;
        continue;
      }
      answer = truth.ok ? `SkinsBack also says ${truth.observed.status}` : truth.message;
    } catch (error) {
      if (!(error instanceof SkinsBackApiError) || error.skinsbackCode < 0) throw error;
      answer = `orderstatus: ${error.errorMessage}`;
    }
    const waiting =
      deposit.status === "pending"
        ? `pending since ${deposit.createdAt.toISOString()}`
        : `${deposit.status} past its hold's end (${deposit.inHoldUntil?.toISOString() ?? "unknown"})`;
    await recordFlag(db, {
      transactionId: deposit.transactionId,
      orderId: deposit.orderId,
      kind: "stuck",
      ours: { status: deposit.status, amount: null, currency: null },
      theirs: null,
      detail: `${waiting}; ${answer}`,
      runId: null,
    });
    report.stuck++;
  }
  return report;
}
