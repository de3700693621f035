import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { newLeaseToken } from "@/lib/db/lease";
import { type ScheduledJob, scheduledJobs } from "@/lib/db/schema";
import { describeError } from "@/lib/errors/describe-error";

/**
 * Recurring jobs, exactly once per interval across every app instance, on PostgreSQL and on PGlite alike.
 *
 * Each job has one row. An instance may run it only after a conditional UPDATE moved the row's `next_run_at`
 * forward and set `running_since` — row-level locking lets exactly one concurrent claimant win, and the others
 * see the moved time and skip. A run that died with its instance is taken over once `running_since` is older than
 * `staleAfterMs`. (pg-boss and graphile-worker need a PostgreSQL server; PGlite must run the same code.)
 */

export type JobDefinition = {
  name: string;
  intervalMs: number;
  /** A run older than this is presumed dead (its instance crashed) and may be claimed again. */
  staleAfterMs?: number;
  /** The first run, ever, is due this long after the job is first seen (0: at once). */
  firstRunAfterMs?: number;
  run: (db: Db) => Promise<Record<string, unknown>>;
};

const DEFAULT_STALE_AFTER_MS = 10 * 60_000;

/**
 * Claims the job's next run if it is due (or `force`d) and nobody runs it now. Returns the claim's token (this
 * caller runs it, and finishes or hands over with the token: lib/db/lease.ts), or null.
 */
export async function claimJobRun(
  db: Db,
  job: Pick<JobDefinition, "name" | "intervalMs" | "staleAfterMs" | "firstRunAfterMs">,
  options: { now?: Date; force?: boolean } = {},
): Promise<string | null> {
  const token = newLeaseToken();
  const now = options.now ?? new Date();
  await db
    .insert(scheduledJobs)
    .values({ name: job.name, nextRunAt: new Date(now.getTime() + (job.firstRunAfterMs ?? 0)) })
    .onConflictDoNothing();
  const staleBefore = new Date(now.getTime() - (job.staleAfterMs ?? DEFAULT_STALE_AFTER_MS));
  const claimed = await db
    .update(scheduledJobs)
    .set({
      nextRunAt: new Date(now.getTime() + job.intervalMs),
      runningSince: now,
      claimToken: token,
      lastStartedAt: now,
      runs: sql`${scheduledJobs.runs} + 1`,
    })
    .where(
      and(
        eq(scheduledJobs.name, job.name),
        options.force ? undefined : lte(scheduledJobs.nextRunAt, now),
        or(isNull(scheduledJobs.runningSince), lt(scheduledJobs.runningSince, staleBefore)),
      ),
    )
    .returning({ name: scheduledJobs.name });
  return claimed.length === 1 ? token : null;
}

/** Records how a run went: only the claim that started it (`token`) may, so a run taken over records nothing. */
export async function finishJobRun(
  db: Db,
  claim: { name: string; token: string },
  outcome: { durationMs: number; result?: Record<string, unknown>; error?: string },
): Promise<void> {
  await db
    .update(scheduledJobs)
    .set({
      runningSince: null,
      claimToken: null,
      lastFinishedAt: new Date(),
      lastDurationMs: outcome.durationMs,
      lastResult: outcome.result ?? null,
      lastError: outcome.error ?? null,
    })
    .where(and(eq(scheduledJobs.name, claim.name), eq(scheduledJobs.claimToken, claim.token)));
}

export type JobRunOutcome =
  | { ran: true; ok: true; result: Record<string, unknown>; durationMs: number }
  | { ran: true; ok: false; error: string; durationMs: number }
  | { ran: false; reason: "not due" | "running elsewhere" };

/** Claims and runs the job once; records how it went. `force`: run now even if not due (on demand). */
export async function runJobIfDue(
  db: Db,
  job: JobDefinition,
  options: { now?: Date; force?: boolean; onClaimed?: (token: string) => void } = {},
): Promise<JobRunOutcome> {
  const token = await claimJobRun(db, job, options);
  if (!token) return { ran: false, reason: options.force ? "running elsewhere" : "not due" };
  return runClaimedJob(db, job, token, options.onClaimed);
}

/** Runs a job this caller has claimed (`claimJobRun`, its token) and records how it went. */
export async function runClaimedJob(
  db: Db,
  job: JobDefinition,
  token: string,
  onClaimed?: (token: string) => void,
): Promise<JobRunOutcome> {
  onClaimed?.(token);
  const started = performance.now();
  const claim = { name: job.name, token };
  try {
    const result = await job.run(db);
    const durationMs = Math.round(performance.now() - started);
    await finishJobRun(db, claim, { durationMs, result });
    return { ran: true, ok: true, result, durationMs };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    const message = describeError(error);
    await finishJobRun(db, claim, { durationMs, error: message }).catch(() => {});
    return { ran: true, ok: false, error: message, durationMs };
  }
}

export async function readJob(db: Db, name: string): Promise<ScheduledJob | undefined> {
  const [row] = await db.select().from(scheduledJobs).where(eq(scheduledJobs.name, name));
  return row;
}

/**
 * Releases a run this instance still holds at shutdown, due at once for another instance. Only this claim's own
 * row (its token): a run another instance took over in the meantime is left alone.
 */
export async function handOverJobRun(
  db: Db,
  claim: { name: string; token: string },
  startedAt: number,
): Promise<boolean> {
  const released = await db
    .update(scheduledJobs)
    .set({
      runningSince: null,
      claimToken: null,
      nextRunAt: new Date(),
      lastError: "handed over: its instance shut down while it ran",
      lastDurationMs: Math.round(performance.now() - startedAt),
    })
    .where(and(eq(scheduledJobs.name, claim.name), eq(scheduledJobs.claimToken, claim.token)))
    .returning({ name: scheduledJobs.name })
    .catch(() => []);
  return released.length === 1;
}

/** Stops a loop: it claims nothing more, and resolves once its current work is done (or `timeoutMs` passed). */
export type StopLoop = (timeoutMs?: number) => Promise<void>;

/** Waits until `busy()` is false, at most `timeoutMs`; true when it became idle. */
export async function waitUntilIdle(busy: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (busy()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Every instance runs this loop; the claim decides which one runs each due job. Checks every `tickMs` (a few
 * seconds: a job is at most that late). Returns its stop: a job still running when the stop's time is up is
 * handed over — its row is released and due at once, so another instance runs it at its next tick instead of
 * after `staleAfterMs`.
 */
export function startJobLoop(
  getDb: () => Promise<Db>,
  jobs: JobDefinition[],
  options: { tickMs?: number; log?: (line: string) => void } = {},
): StopLoop {
  const log = options.log ?? ((line) => console.info(line));
  let stopped = false;
  let running: { job: JobDefinition; db: Db; started: number; token?: string } | undefined;
  let busy = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const db = await getDb();
      for (const job of jobs) {
        if (stopped) break;
        const current: NonNullable<typeof running> = { job, db, started: performance.now() };
        running = current;
        const outcome = await runJobIfDue(db, job, {
          onClaimed: (token) => {
            current.token = token;
          },
        });
        running = undefined;
        if (outcome.ran && !outcome.ok)
          log(`[jobs] ${job.name} failed after ${outcome.durationMs} ms: ${outcome.error}`);
      }
    } catch (error) {
      log(`[jobs] could not check the schedule: ${describeError(error)}`);
    } finally {
      running = undefined;
      busy = false;
    }
  };
  const timer = setInterval(tick, options.tickMs ?? 5_000);
  timer.unref?.();
  void tick();
  return async (timeoutMs = 10_000) => {
    stopped = true;
    clearInterval(timer);
    if (await waitUntilIdle(() => busy, timeoutMs)) return;
    const current = running;
    if (!current?.token) return;
    await handOverJobRun(current.db, { name: current.job.name, token: current.token }, current.started);
    log(`[jobs] ${current.job.name} was still running at shutdown: handed over to the next instance`);
  };
}
