import { desc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { type ReconcileRun, reconcileRuns, scheduledJobs } from "@/lib/db/schema";
import { countUndecided, type DifferenceFilters, listDifferences } from "./differences";

/** What /reconciliation shows: the last runs, the undecided flags per kind, a page of differences, the schedule. */
export async function readReconciliation(db: Db, filters: DifferenceFilters) {
  const [runs, counts, differences, jobs] = await Promise.all([
    db.select().from(reconcileRuns).orderBy(desc(reconcileRuns.id)).limit(20),
    countUndecided(db),
    listDifferences(db, filters),
    db.select().from(scheduledJobs).where(eq(scheduledJobs.name, "reconcile")),
  ]);
  return {
    runs: runs.map(runView),
    counts,
    differences: differences.rows.map((d) => ({
      ...d,
      firstSeenAt: d.firstSeenAt.toISOString(),
      lastSeenAt: d.lastSeenAt.toISOString(),
      decidedAt: d.decidedAt?.toISOString() ?? null,
    })),
    nextCursor: differences.nextCursor,
    nextRunAt: jobs[0]?.nextRunAt?.toISOString() ?? null,
    running: jobs[0]?.runningSince != null,
  };
}
export type ReconciliationView = Awaited<ReturnType<typeof readReconciliation>>;
export type RunView = ReturnType<typeof runView>;

function runView(run: ReconcileRun) {
  return {
    ...run,
    windowStart: run.windowStart.toISOString(),
    windowEnd: run.windowEnd.toISOString(),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
