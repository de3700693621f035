import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { describeError } from "@/lib/errors/describe-error";
import { type JobDefinition, type StopLoop, waitUntilIdle } from "@/lib/jobs/scheduler";
import { evaluateAlerts } from "./incidents";
import { deliverAlerts } from "./sender";

/** The alert rules' evaluation (a job: once per interval across instances) and the outbox sender (every instance). */

export function alertEvaluationJob(config: AppConfig): JobDefinition {
  return {
    name: "alerts",
    intervalMs: config.alerts.evaluateIntervalMs,
    staleAfterMs: 5 * 60_000,
    async run(db) {
      const report = await evaluateAlerts(db, { now: new Date(), clientId: config.skinsback.clientId });
      return { ...report, errors: report.errors.slice(0, 5) };
    },
  };
}

const SEND_EVERY_MS = 2_000;

/** Sends due alert messages every couple of seconds on this instance; returns its stop. */
export function startAlertSender(getDb: () => Promise<Db>, config: AppConfig): StopLoop {
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const db = await getDb();
      for (let round = 0; round < 10; round++) {
        const report = await deliverAlerts(db, {
          now: new Date(),
          appOrigin: config.appOrigin,
          allowInternal: config.forwarding.allowPrivateNetworks,
          retryScheduleMs: config.forwarding.retryScheduleMs,
        });
        if (report.claimed < 20) break;
      }
    } catch (error) {
      console.error(`[alerts] could not send: ${describeError(error)}`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(tick, SEND_EVERY_MS);
  timer.unref?.();
  return async (timeoutMs = 10_000) => {
    stopped = true;
    clearInterval(timer);
    await waitUntilIdle(() => busy, timeoutMs);
  };
}
