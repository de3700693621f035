import "server-only";
import { hostname } from "node:os";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { describeError } from "@/lib/errors/describe-error";
import { AUTO_REPLAY_SETTING } from "@/lib/failed-notifications/settings";
import { configuredSkinsbackClient } from "@/lib/gateway/skinsback-gateway";
import { type JobDefinition, type StopLoop, startJobLoop, waitUntilIdle } from "@/lib/jobs/scheduler";
import { readSetting } from "@/lib/settings/store";
import { BulkReplayError, currentBulkReplay, startBulkReplay, workOnBulkReplay } from "./bulk";
import type { ReplayDeps } from "./replay";
import { FAILED_SYNC_JOB, syncFailedList } from "./sync";

/** The job that mirrors SkinsBack's failed list; its row in scheduled_jobs shows the last and next run. */
export { FAILED_SYNC_JOB };

export function replayDeps(db: Db, config: AppConfig, caller: string): ReplayDeps {
  const { clientId, clientSecret } = config.skinsback;
  return {
    db,
    client: configuredSkinsbackClient(db, config, caller),
    credentials: { clientId, clientSecret },
  };
}

/** Sync, then (when the setting is on and nothing else is running) replay every open row in the background. */
export function failedSyncJob(config: AppConfig): JobDefinition {
  return {
    name: FAILED_SYNC_JOB,
    intervalMs: config.failedSyncIntervalMs,
    run: async (db) => {
      const deps = replayDeps(db, config, "job:failed-sync");
      const synced = await syncFailedList(db, deps.client);
      let autoReplay: string = "off";
      if (await readSetting(db, AUTO_REPLAY_SETTING)) {
        const running = await currentBulkReplay(db);
        if (running?.status === "running") autoReplay = `a bulk replay (#${running.id}) is already running`;
        else {
          autoReplay = await startBulkReplay(
            db,
            { state: "open", source: "skinsback" },
            {
              actor: { kind: "system" },
              label: "automatic replay",
            },
          ).then(
            (job) => `started bulk replay #${job.id} of ${job.total}`,
            (error) => (error instanceof BulkReplayError ? error.message : Promise.reject(error)),
          );
        }
      }
      return { ...synced, autoReplay };
    },
  };
}

/**
 * Every instance runs the schedule and the bulk worker; the database decides which instance does each run and
 * holds each bulk job. Returns a stop function.
 */
export function startFailedNotificationJobs(getDb: () => Promise<Db>, config: AppConfig): StopLoop {
  const stopSchedule = startJobLoop(getDb, [failedSyncJob(config)]);
  const owner = `${hostname()}:${process.pid}`;
  let stopped = false;
  let busy = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const db = await getDb();
      await workOnBulkReplay(replayDeps(db, config, "job:bulk-replay"), { owner, shouldStop: () => stopped });
    } catch (error) {
      console.error(`[jobs] bulk replay: ${describeError(error)}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, 2_000);
  timer.unref?.();
  bulkWake = () => void tick();
  return async (timeoutMs = 10_000) => {
    stopped = true;
    bulkWake = undefined;
    clearInterval(timer);
    await Promise.all([stopSchedule(timeoutMs), waitUntilIdle(() => busy, timeoutMs)]);
  };
}

let bulkWake: (() => void) | undefined;

/**
 * A bulk replay was started here: this instance takes it up now instead of at its next 2-second round, so the
 * progress bar moves at once. (Another instance may still win the lease; the work is the same.)
 */
export function wakeBulkReplay(): void {
  bulkWake?.();
}
