import type { Db } from "@/lib/db/client";
import type { BulkReplayJob, ScheduledJob } from "@/lib/db/schema";
import { AUTO_REPLAY_SETTING } from "@/lib/failed-notifications/settings";
import { readJob } from "@/lib/jobs/scheduler";
import { readSetting } from "@/lib/settings/store";
import { currentBulkReplay } from "./bulk";
import { type FailedCounts, type FailedFilters, type FailedRow, listFailed } from "./list";

/** Everything the failed-notification screen shows, in one answer (the page renders it, then polls it). */
export type FailedScreen = {
  rows: FailedRow[];
  /** The next (older) page's cursor, or null on the last page. */
  nextBefore: string | null;
  total: number;
  counts: FailedCounts;
  sync: {
    lastStartedAt: string | null;
    lastFinishedAt: string | null;
    lastDurationMs: number | null;
    lastResult: Record<string, unknown> | null;
    lastError: string | null;
    nextRunAt: string | null;
    running: boolean;
  };
  bulk: BulkView | null;
  autoReplay: boolean;
};

export type BulkView = Pick<
  BulkReplayJob,
  "id" | "status" | "total" | "done" | "applied" | "unchanged" | "failed" | "createdBy" | "cancelledBy"
> & { createdAt: string; finishedAt: string | null; filter: Record<string, unknown> };

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function bulkView(job: BulkReplayJob | undefined): BulkView | null {
  if (!job) return null;
  const { id, status, total, done, applied, unchanged, failed, createdBy, cancelledBy, filter } = job;
  return {
    id,
    status,
    total,
    done,
    applied,
    unchanged,
    failed,
    createdBy,
    cancelledBy,
    filter,
    createdAt: job.createdAt.toISOString(),
    finishedAt: iso(job.finishedAt),
  };
}

function syncView(job: ScheduledJob | undefined): FailedScreen["sync"] {
  return {
    lastStartedAt: iso(job?.lastStartedAt),
    lastFinishedAt: iso(job?.lastFinishedAt),
    lastDurationMs: job?.lastDurationMs ?? null,
    lastResult: job?.lastResult ?? null,
    lastError: job?.lastError ?? null,
    nextRunAt: iso(job?.nextRunAt),
    running: Boolean(job?.runningSince),
  };
}

export async function readFailedScreen(
  db: Db,
  filters: FailedFilters,
  syncJobName: string,
): Promise<FailedScreen> {
  const [list, job, bulk, autoReplay] = await Promise.all([
    listFailed(db, filters),
    readJob(db, syncJobName),
    currentBulkReplay(db),
    readSetting(db, AUTO_REPLAY_SETTING),
  ]);
  return { ...list, sync: syncView(job), bulk: bulkView(bulk), autoReplay };
}
