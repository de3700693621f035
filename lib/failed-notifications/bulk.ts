import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { AuditActor } from "@/lib/audit/audit-log";
import { recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { assertLeaseHeld, LeaseLostError } from "@/lib/db/lease";
import { type BulkReplayJob, bulkReplayItems, bulkReplayJobs } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { RateBudgetExhaustedError } from "@/lib/skinsback/errors";
import { type FailedFilters, selectFailed } from "./list";
import { type ReplayDeps, replayFailure } from "./replay";

/**
 * "Retry all matching": the open rows matching a filter, snapshotted into a job and replayed in the background.
 *
 * The job and every item live in the database, so progress survives a reload and a restart: whichever instance
 * holds the job's lease works on it, and a lease not renewed (its instance died) is taken over. One job runs at a
 * time (a unique index), so no two ever work on the same rows. Every replay takes a slot of the shared 500/minute
 * budget like any other call: when the budget is full the worker waits for the next slot, never sending past it.
 */

export type BulkPreview = { total: number; effects: Record<string, number> };

/** Every open row the filter matches, whichever page the screen shows. */
const openOnly = (filters: Omit<FailedFilters, "limit">) => ({
  ...filters,
  state: "open" as const,
  before: undefined,
});

/** What "retry all" would do: how many rows, and their predicted effects grouped. */
export async function previewBulkReplay(db: Db, filters: Omit<FailedFilters, "limit">): Promise<BulkPreview> {
  const rows = await selectFailed(db, openOnly(filters), null);
  const effects: Record<string, number> = {};
  for (const row of rows) {
    effects[row.effect] = (effects[row.effect] ?? 0) + 1;
  }
  return { total: rows.length, effects };
}

/** A bulk replay that cannot start now (one is running, nothing matches): a conflict with the current state. */
export class BulkReplayError extends AppError {
  override name = "BulkReplayError";
  constructor(message: string) {
    super("conflict", message);
  }
}

export async function startBulkReplay(
  db: Db,
  filters: Omit<FailedFilters, "limit">,
  by: { actor: AuditActor; label: string; address?: string | null },
): Promise<BulkReplayJob> {
  const rows = await selectFailed(db, openOnly(filters), null);
  if (rows.length === 0) throw new BulkReplayError("nothing to replay: no open row matches the filter");
  try {
    return await db.transaction(async (tx) => {
      const [job] = await tx
        .insert(bulkReplayJobs)
        .values({ filter: { ...filters, state: "open" }, total: rows.length, createdBy: by.label })
        .returning();
      if (!job) throw new Error("bulk job insert returned nothing");
      for (let i = 0; i < rows.length; i += 500) {
        await tx.insert(bulkReplayItems).values(
          rows.slice(i, i + 500).map((row, j) => ({
            jobId: job.id,
            position: i + j,
            targetKind: row.target.kind,
            targetId: row.target.id,
          })),
        );
      }
      await recordAudit(tx, {
        actor: by.actor,
        action: "notification.bulk-replay",
        outcome: "ok",
        target: { type: "bulk-replay", id: String(job.id) },
        address: by.address,
        detail: { total: rows.length, filter: filters },
      });
      return job;
    });
  } catch (error) {
    const running = await currentBulkReplay(db);
    if (running?.status === "running") {
      throw new BulkReplayError(
        `a bulk replay is already running (started by ${running.createdBy} at ${running.createdAt.toISOString()})`,
      );
    }
    throw error;
  }
}

/** The running job, or else the latest one (for the progress bar after it finished). */
export async function currentBulkReplay(db: Db): Promise<BulkReplayJob | undefined> {
  const [running] = await db.select().from(bulkReplayJobs).where(eq(bulkReplayJobs.status, "running"));
  if (running) return running;
  const [latest] = await db.select().from(bulkReplayJobs).orderBy(desc(bulkReplayJobs.id)).limit(1);
  return latest;
}

export async function requestBulkCancel(
  db: Db,
  jobId: number,
  by: { actor: AuditActor; label: string; address?: string | null },
): Promise<BulkReplayJob | undefined> {
  const [job] = await db
    .update(bulkReplayJobs)
    .set({ cancelRequestedAt: new Date(), cancelledBy: by.label })
    .where(and(eq(bulkReplayJobs.id, jobId), eq(bulkReplayJobs.status, "running")))
    .returning();
  if (job) {
    await recordAudit(db, {
      actor: by.actor,
      action: "notification.bulk-cancel",
      outcome: "ok",
      target: { type: "bulk-replay", id: String(jobId) },
      address: by.address,
      detail: { done: job.done, total: job.total },
    });
  }
  return job;
}

export type BulkWorkerOptions = {
  /** Who works: an instance name, unique per process. */
  owner: string;
  /** Replays in flight at once. */
  concurrency?: number;
  /** Asked before each round: true when the instance is shutting down (the lease is released for another). */
  shouldStop?: () => boolean;
  /** A lease not renewed for this long is taken over by another instance. */
  leaseMs?: number;
  /** Stop after this many items (tests stop a "process" mid-run this way). */
  maxItems?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The clock leases are taken and checked by (tests step past a lease instead of waiting it out). */
  now?: () => Date;
  /** Passed to each replay: how old a "running" claim must be to count as abandoned by a dead process. */
  abandonedAfterMs?: number;
};

/** Takes (or keeps) the running job's lease. Undefined: no running job, or another live instance works on it. */
async function holdLease(
  db: Db,
  owner: string,
  leaseMs: number,
  now: Date,
): Promise<BulkReplayJob | undefined> {
  const [job] = await db
    .update(bulkReplayJobs)
    .set({ leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(
      and(
        eq(bulkReplayJobs.status, "running"),
        or(
          isNull(bulkReplayJobs.leaseUntil),
          lt(bulkReplayJobs.leaseUntil, now),
          eq(bulkReplayJobs.leaseOwner, owner),
        ),
      ),
    )
    .returning();
  return job;
}

/**
 * Works on the running job while this instance holds its lease: replays pending items `concurrency` at a time,
 * counts each outcome, stops on cancel, finishes when nothing is pending. Returns how many items it settled.
 */
export async function workOnBulkReplay(deps: ReplayDeps, options: BulkWorkerOptions): Promise<number> {
  const { db } = deps;
  const concurrency = options.concurrency ?? 8;
  const leaseMs = options.leaseMs ?? 30_000;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let settled = 0;
  for (;;) {
    if (options.shouldStop?.()) {
      // Handed over at once: another instance takes the job at its next round instead of after the lease.
      await db
        .update(bulkReplayJobs)
        .set({ leaseOwner: null, leaseUntil: null })
        .where(and(eq(bulkReplayJobs.leaseOwner, options.owner), eq(bulkReplayJobs.status, "running")));
      return settled;
    }
    const job = await holdLease(db, options.owner, leaseMs, (options.now ?? (() => new Date()))());
    if (!job) return settled;
    if (job.cancelRequestedAt) {
      await db
        .update(bulkReplayJobs)
        .set({ status: "cancelled", finishedAt: new Date(), leaseOwner: null, leaseUntil: null })
        .where(eq(bulkReplayJobs.id, job.id));
      return settled;
    }
    const take = Math.min(
      concurrency,
      options.maxItems === undefined ? concurrency : options.maxItems - settled,
    );
    if (take <= 0) return settled;
    const items = await db
      .select()
      .from(bulkReplayItems)
      .where(and(eq(bulkReplayItems.jobId, job.id), eq(bulkReplayItems.state, "pending")))
      .orderBy(bulkReplayItems.position)
      .limit(take);
    if (items.length === 0) {
      await db
        .update(bulkReplayJobs)
        .set({ status: "done", finishedAt: new Date(), leaseOwner: null, leaseUntil: null })
        .where(eq(bulkReplayJobs.id, job.id));
      return settled;
    }
    let waitMs = 0;
    let leaseLost = false;
    await Promise.all(
      items.map(async (item) => {
        let state: "applied" | "unchanged" | "failed" | "already";
        let message: string | null = null;
        try {
          const result = await replayFailure(deps, {
            target: { kind: item.targetKind, id: item.targetId },
            by: { actor: { kind: "system" }, label: `bulk replay #${job.id} (${job.createdBy})` },
            bulkJobId: job.id,
            abandonedAfterMs: options.abandonedAfterMs,
          });
          if (result.result === "not-found") {
            state = "failed";
            message = "the row is gone";
          } else if (result.result === "already") {
            state = "already";
            message = `already replayed by ${result.by}`;
          } else {
            state = result.result;
            message =
              result.result === "applied"
                ? `${result.previousStatus ?? "new"} → ${result.newStatus}`
                : result.message;
          }
        } catch (error) {
          if (error instanceof RateBudgetExhaustedError) {
            // The shared budget is full: this item stays pending and is tried again once a slot frees.
            waitMs = Math.max(waitMs, error.retryAfterSeconds * 1000);
            return;
          }
          state = "failed";
          message = describeError(error);
        }
        // Fenced (lib/db/lease.ts): an item is counted once, when it leaves `pending`, and only while this
        // instance still holds the job's lease — so the counters never pass the total.
        const counted = await db
          .transaction(async (tx) => {
            const moved = await tx
              .update(bulkReplayItems)
              .set({ state, message })
              .where(
                and(
                  eq(bulkReplayItems.jobId, item.jobId),
                  eq(bulkReplayItems.position, item.position),
                  eq(bulkReplayItems.state, "pending"),
                ),
              )
              .returning({ position: bulkReplayItems.position });
            if (moved.length === 0) return false; // settled by the instance that took the job over
            const held = await tx
              .update(bulkReplayJobs)
              .set({
                done: sql`${bulkReplayJobs.done} + 1`,
                applied: sql`${bulkReplayJobs.applied} + ${state === "applied" ? 1 : 0}`,
                unchanged: sql`${bulkReplayJobs.unchanged} + ${state === "unchanged" || state === "already" ? 1 : 0}`,
                failed: sql`${bulkReplayJobs.failed} + ${state === "failed" ? 1 : 0}`,
              })
              .where(and(eq(bulkReplayJobs.id, item.jobId), eq(bulkReplayJobs.leaseOwner, options.owner)))
              .returning({ id: bulkReplayJobs.id });
            assertLeaseHeld(held.length, `bulk replay #${item.jobId}`);
            return true;
          })
          .catch((error) => {
            if (!(error instanceof LeaseLostError)) throw error;
            leaseLost = true;
            return false;
          });
        if (counted) settled += 1;
      }),
    );
    // A lost lease stops this worker: the instance that took the job over goes on with it.
    if (leaseLost) return settled;
    if (waitMs > 0) await sleep(Math.min(waitMs, 5_000));
  }
}
