import "server-only";
import { ensureStartupOperators } from "@/lib/auth/startup";
import { ConfigError, formatConfigError, listeningPortProblem } from "@/lib/config";
import { getDatabase } from "@/lib/db";
import { PgliteFolderInUseError } from "@/lib/db/client";
import { getConfig } from "@/lib/env";
import { installPeerAddressHeader } from "@/lib/http/client-address";
import { describeError } from "@/lib/http/describe-error";

/**
 * What a server instance does once at start (Node.js runtime only): starts its loops (the forwarding sender, the
 * failed-list sync and bulk replays, reconciliation and the watchdogs, the alert rules and their sender, in
 * sandbox mode the simulator's clock), opens and migrates the database, and
 * once it answers creates the operators the start asks for (lib/auth/startup.ts) and the configured forwarding
 * endpoint. The configuration was already checked by next.config.ts; a mistake
 * that can only be seen here (the embedded database's folder held by another process) stops this process with a
 * readable message rather than leaving it to answer every request with an error.
 */
export async function startServer(): Promise<void> {
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stop(formatConfigError(error));
  }
  // Next.js has bound its port by now and says which in PORT (also for `-p`).
  const portProblem = listeningPortProblem(config, process.env.PORT);
  if (portProblem) stop(portProblem);
  console.info(`[config] SkinsBack mode: ${config.skinsback.mode}`);
  installPeerAddressHeader();
  // Every loop starts whether or not the database is up now: each asks for it every round and retries, so an
  // instance started during an outage works as soon as PostgreSQL is back.
  const database = async () => (await getDatabase()).db;
  const { startForwardingLoop } = await import("@/lib/forwarding/runtime");
  startForwardingLoop(database, config);
  const { startFailedNotificationJobs } = await import("@/lib/failed-notifications/runtime");
  startFailedNotificationJobs(database, config);
  const { startJobLoop } = await import("@/lib/jobs/scheduler");
  const { retentionJob } = await import("@/lib/retention/job");
  const { alertEvaluationJob, startAlertSender } = await import("@/lib/alerts/runtime");
  startJobLoop(database, [alertEvaluationJob(config), retentionJob()]);
  startAlertSender(database, config);
  // Reconciliation's runs take minutes: a loop of their own, so the alert rules are never waiting behind one.
  const { reconcileJob, watchdogJob } = await import("@/lib/reconciliation/jobs");
  startJobLoop(database, [
    watchdogJob(config),
    reconcileJob(config, "regular"),
    reconcileJob(config, "deep"),
  ]);
  if (config.skinsback.mode === "sandbox") {
    const { startSandboxLoop } = await import("@/lib/sandbox/runtime");
    const { ensureSandboxEndpoint } = await import("@/lib/forwarding/endpoints");
    // The demo receiver is added once the seeded history has arrived: like an endpoint a merchant adds, it gets
    // the changes from then on (live traffic), and a first start is not slowed by forwarding 3,700 old ones.
    startSandboxLoop({
      onHistoryDelivered: () => {
        // SkinsBack's failed list now holds the seed's failures: sync it at once, so the screens do not go on
        // saying "nothing failed" from a sync that ran before the sandbox had made anything.
        void (async () => {
          const { runJobIfDue } = await import("@/lib/jobs/scheduler");
          const { failedSyncJob } = await import("@/lib/failed-notifications/runtime");
          await runJobIfDue(await database(), failedSyncJob(config), { force: true });
        })().catch((error) => console.error(`[jobs] sync after the seed: ${describeError(error)}`));
        database()
          .then((db) => ensureSandboxEndpoint(db, config.appOrigin))
          .then(
            () =>
              console.info(
                "[forwarding] the demo receiver (/sandbox/merchant) gets every change from now on",
              ),
            (error) => console.error(`[forwarding] could not add the demo receiver: ${describeError(error)}`),
          );
      },
    });
  }
  try {
    await getDatabase();
  } catch (caught) {
    const error = caught as Error;
    // Compared by name: the class may be loaded twice in different server bundles.
    if (error.name === PgliteFolderInUseError.name) stop(`\nThe console cannot start: ${error.message}\n`);
    // Otherwise not fatal: /api/health answers 503 and requests retry opening until the database is back.
    console.error(`[db] not ready at start: ${error.message}; the start-up work waits for it`);
  }
  void whenDatabaseAnswers(database, async (db) => {
    try {
      for (const message of await ensureStartupOperators(db, config)) console.info(`[auth] ${message}`);
    } catch (error) {
      console.error(`[auth] could not set up the first operators: ${describeError(error)}`);
    }
    try {
      const { ensureEnvironmentChannels } = await import("@/lib/alerts/channel-store");
      for (const message of await ensureEnvironmentChannels(db, config)) console.info(`[alerts] ${message}`);
    } catch (error) {
      console.error(`[alerts] could not set up the configured channels: ${describeError(error)}`);
    }
    try {
      const { ensureEnvironmentEndpoint } = await import("@/lib/forwarding/endpoints");
      const forwarding = await ensureEnvironmentEndpoint(db, config);
      if (forwarding) console.info(`[forwarding] ${forwarding}`);
    } catch (error) {
      console.error(`[forwarding] could not set up the configured endpoint: ${describeError(error)}`);
    }
  });
}

/** Runs `work` once the database can be opened: at once, or after it comes back (asked every 2 s). */
async function whenDatabaseAnswers<T>(database: () => Promise<T>, work: (db: T) => Promise<void>) {
  for (;;) {
    try {
      const db = await database();
      await work(db);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2_000).unref?.());
    }
  }
}

function stop(message: string): never {
  console.error(message);
  process.exit(1);
}
