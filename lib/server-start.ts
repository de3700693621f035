import "server-only";
import { ensureStartupOperators } from "@/lib/auth/startup";
import { ConfigError, formatConfigError, listeningPortProblem } from "@/lib/config";
import { getDatabase } from "@/lib/db";
import { PgliteFolderInUseError } from "@/lib/db/client";
import { getConfig } from "@/lib/env";
import { describeError } from "@/lib/errors/describe-error";
import { closeServers, installRequestTracking, startDraining } from "@/lib/http/server-requests";

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
  const { requestLogger } = await import("@/lib/request-log");
  installRequestTracking(config.nodeEnv === "production" ? requestLogger(config.logLevel) : undefined);
  // Every loop starts whether or not the database is up now: each asks for it every round and retries, so an
  // instance started during an outage works as soon as PostgreSQL is back.
  const database = async () => (await getDatabase()).db;
  const loops: ((timeoutMs: number) => Promise<void>)[] = [];
  const { startForwardingLoop } = await import("@/lib/forwarding/forwarding-loop");
  loops.push(startForwardingLoop(database, config));
  const { startFailedNotificationJobs } = await import("@/lib/failed-notifications/failed-loops");
  loops.push(startFailedNotificationJobs(database, config));
  const { startJobLoop } = await import("@/lib/jobs/scheduler");
  const { retentionJob } = await import("@/lib/retention/job");
  const { alertEvaluationJob, startAlertSender } = await import("@/lib/alerts/alert-loops");
  loops.push(startJobLoop(database, [alertEvaluationJob(config), retentionJob()]));
  loops.push(startAlertSender(database, config));
  // Reconciliation's runs take minutes: a loop of their own, so the alert rules are never waiting behind one.
  const { reconcileJob, watchdogJob } = await import("@/lib/reconciliation/jobs");
  loops.push(
    startJobLoop(database, [
      watchdogJob(config),
      reconcileJob(config, "regular"),
      reconcileJob(config, "deep"),
    ]),
  );
  if (config.skinsback.mode === "sandbox") {
    const { startSandboxLoop, stopSandboxLoop } = await import("@/lib/sandbox/sandbox-clock");
    loops.push(stopSandboxLoop);
    const { ensureSandboxEndpoint } = await import("@/lib/forwarding/endpoints");
    // The demo receiver is added once the seeded history has arrived: like an endpoint a merchant adds, it gets
    // the changes from then on (live traffic), and a first start is not slowed by forwarding 3,700 old ones.
    startSandboxLoop({
      onHistoryDelivered: () => {
        // SkinsBack's failed list now holds the seed's failures: sync it at once, so the screens do not go on
        // saying "nothing failed" from a sync that ran before the sandbox had made anything.
        void (async () => {
          const { runJobIfDue } = await import("@/lib/jobs/scheduler");
          const { failedSyncJob } = await import("@/lib/failed-notifications/failed-loops");
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
  // `next dev` keeps its own Ctrl-C: a developer's server stops at once.
  if (config.nodeEnv === "production") handleShutdown(config.shutdownDrainMs, loops);
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

const REQUESTS_FINISH_MS = 10_000;

/**
 * SIGTERM (a rolling restart, `docker stop`, systemd) or SIGINT: /api/health answers 503 at once and responses
 * close their connections, so the load balancer moves away, while this instance still serves what reaches it for
 * `drainMs`; meanwhile the loops stop claiming work, finish what they hold and hand over what they cannot finish.
 * Then the server stops accepting, the requests already accepted get up to 10 s, the database is closed and the
 * process exits 0. Replaces Next.js's own handler, which closes the listener at once (a request the balancer
 * still sent in its last seconds would be refused) and exits 143.
 */
function handleShutdown(drainMs: number, loops: ((timeoutMs: number) => Promise<void>)[]) {
  const globalState = globalThis as { __consoleShutdownInstalled?: boolean };
  if (globalState.__consoleShutdownInstalled) return;
  globalState.__consoleShutdownInstalled = true;
  let started = false;
  const shutdown = (signal: string) => {
    if (started) return;
    started = true;
    const began = Date.now();
    console.info(
      `[shutdown] ${signal}: /api/health answers 503; serving for ${drainMs / 1000} s more while work is handed over`,
    );
    startDraining();
    void (async () => {
      await Promise.all([
        Promise.all(loops.map((stopLoop) => stopLoop(drainMs + REQUESTS_FINISH_MS).catch(() => {}))),
        new Promise((resolve) => setTimeout(resolve, drainMs)),
      ]);
      const cut = await closeServers(REQUESTS_FINISH_MS);
      await getDatabase()
        .then((handle) => handle.close())
        .catch(() => {});
      console.info(
        `[shutdown] done in ${Date.now() - began} ms${cut > 0 ? `; ${cut} request(s) were still running and were cut` : ""}`,
      );
      process.exit(0);
    })();
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => shutdown(signal));
  }
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
