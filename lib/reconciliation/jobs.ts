import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import type { ReconcileRunKind } from "@/lib/db/schema";
import { configuredSkinsbackClient } from "@/lib/gateway/skinsback-gateway";
import type { JobDefinition } from "@/lib/jobs/scheduler";
import { WATCHDOG_SETTING } from "@/lib/reconciliation/settings";
import { readSetting } from "@/lib/settings/store";
import type { SkinsbackClient } from "@/lib/skinsback/client";
import { runReconciliation } from "./run";
import { runWatchdog } from "./watchdog";

/**
 * The reconciliation jobs, once per interval across all instances (lib/jobs/scheduler.ts): the regular run over
 * the last 48 hours every RECONCILE_INTERVAL_SECONDS, the deep run over 9 days daily (Steam's 7-day reversal
 * window and the 8-day hold both end inside it), and the watchdogs. All three share one slice of the project's
 * budget (RECONCILE_BUDGET_SHARE, half by default), so operators' calls always find room.
 */

export const RECONCILE_WINDOWS: Record<ReconcileRunKind, number> = {
  regular: 48 * 3_600_000,
  deep: 9 * 86_400_000,
  manual: 48 * 3_600_000,
};
const DEEP_INTERVAL_MS = 86_400_000;
/**
 * A new console's first runs wait: the history SkinsBack is still delivering (a sandbox's seed, a backlog after
 * an outage) would otherwise be "found" by reconciliation a minute before its notifications arrive.
 */
export const FIRST_RUN_AFTER_MS = { regular: 10 * 60_000, deep: 60 * 60_000, watchdog: 10 * 60_000 };
/** A job call may wait this long for room in its share (a run over 9 days is patient; an operator is not). */
const BACKGROUND_BUDGET_WAIT_MS = 120_000;

export function backgroundClient(db: Db, config: AppConfig, caller: string): SkinsbackClient {
  return configuredSkinsbackClient(db, config, caller, {
    share: { bucket: "background", fraction: config.reconciliation.budgetShare },
    maxBudgetWaitMs: BACKGROUND_BUDGET_WAIT_MS,
  });
}

export function reconcileJob(
  config: AppConfig,
  kind: ReconcileRunKind = "regular",
  requestedBy = "schedule",
  client?: (db: Db) => SkinsbackClient,
): JobDefinition {
  return {
    // The manual run shares the regular one's row: "Run now" while it runs says so instead of running twice.
    name: kind === "deep" ? "reconcile-deep" : "reconcile",
    intervalMs: kind === "deep" ? DEEP_INTERVAL_MS : config.reconciliation.intervalMs,
    staleAfterMs: 60 * 60_000,
    firstRunAfterMs: kind === "deep" ? FIRST_RUN_AFTER_MS.deep : FIRST_RUN_AFTER_MS.regular,
    async run(db) {
      const end = new Date();
      const run = await runReconciliation(db, client?.(db) ?? backgroundClient(db, config, "job:reconcile"), {
        kind,
        requestedBy,
        window: { start: new Date(end.getTime() - RECONCILE_WINDOWS[kind]), end },
      });
      if (run.state === "failed") throw new Error(`run ${run.id}: ${run.error}`);
      return {
        runId: run.id,
        theirs: run.theirs,
        applied: run.applied,
        flagged: run.flagged,
        calls: run.calls,
      };
    },
  };
}

export function watchdogJob(config: AppConfig, client?: (db: Db) => SkinsbackClient): JobDefinition {
  return {
    name: "watchdog",
    intervalMs: config.reconciliation.watchdogIntervalMs,
    staleAfterMs: 30 * 60_000,
    firstRunAfterMs: FIRST_RUN_AFTER_MS.watchdog,
    async run(db) {
      const settings = await readSetting(db, WATCHDOG_SETTING);
      return runWatchdog(db, client?.(db) ?? backgroundClient(db, config, "job:watchdog"), new Date(), {
        pendingAfterMs: settings.pendingMinutes * 60_000,
        holdGraceMs: settings.holdGraceMinutes * 60_000,
        recheckAfterMs: config.reconciliation.watchdogIntervalMs,
        maxChecks: 100,
      });
    },
  };
}
