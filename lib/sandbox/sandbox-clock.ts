import "server-only";
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { describeError } from "@/lib/errors/describe-error";
import { waitUntilIdle } from "@/lib/jobs/scheduler";
import { advanceDue, type SandboxContext } from "./engine";
import { deliverDue } from "./outbox";
import { createLiveDeposit, readSeedProgress, seedHistory } from "./seed";
import { livePaceMs, readMarker, readSwitches, updateSwitches } from "./switches";

/** The sandbox as this app serves it (sandbox mode only): SkinsBack's side, talking to us over HTTP. */
export async function getSandboxContext(): Promise<SandboxContext> {
  const config = getConfig();
  const { db } = await getDatabase();
  return {
    db,
    clientId: config.skinsback.clientId,
    clientSecret: config.skinsback.clientSecret,
    resultUrl: config.sandbox.resultUrl,
    failingResultUrl: config.sandbox.failingResultUrl,
    publicOrigin: config.appOrigin,
    resultUrlOrigins: config.sandbox.resultUrlOrigins,
  };
}

const SEED_PROGRESS_EVERY_MS = 2_000;
type LoopState = {
  started?: boolean;
  running?: boolean;
  lastLiveAt?: number;
  /** While the seeded history is still arriving: when it started and when progress was last logged. */
  seed?: { startedAt: number; loggedAt: number };
  /** Called once, when the seeded history has been delivered (at once when this process seeds nothing). */
  onHistoryDelivered?: () => void;
  timer?: ReturnType<typeof setInterval>;
};
const globalScope = globalThis as { __skinsbackSandboxLoop?: LoopState };
globalScope.__skinsbackSandboxLoop ??= {};
const state = globalScope.__skinsbackSandboxLoop;

/**
 * Starts the simulator's clock once per process: seeds ~90 days of history on the first start, then every second
 * moves due deposits, makes live deposits when that switch is on, and sends due notifications. Waits until our
 * own webhook answers, so the first notifications do not fail against a server that is still starting.
 * `onHistoryDelivered` runs once the seeded history has all been sent (at once when there is none to send).
 */
export function startSandboxLoop(options: { onHistoryDelivered?: () => void } = {}): void {
  if (state.started) return;
  state.started = true;
  state.onHistoryDelivered = options.onHistoryDelivered;
  void (async () => {
    const ctx = await getSandboxContext();
    await waitForOwnServer(getConfig().appOrigin);
    const firstStart = (await readMarker(ctx.db, "seeded")) === undefined;
    const seedDeposits = getConfig().sandbox.seedDeposits;
    if (firstStart && seedDeposits > 0) {
      const started = Date.now();
      const seeded = await seedHistory(ctx, new Date(), { deposits: seedDeposits });
      if (seeded) {
        await updateSwitches(ctx.db, { liveTraffic: true });
        console.info(
          `[sandbox] created ${count(seeded.deposits)} deposits of history in ${Date.now() - started} ms; ` +
            `sending their ${count(seeded.notifications)} notifications to ${ctx.resultUrl}; live traffic on`,
        );
        state.seed = { startedAt: started, loggedAt: 0 };
      }
    }
    if (!state.seed) historyDelivered();
    const tick = async () => {
      if (state.running) return;
      state.running = true;
      try {
        for (let round = 0; round < 50; round++) {
          const now = new Date();
          await advanceDue(ctx, now);
          const switches = await readSwitches(ctx.db);
          const pace = livePaceMs(switches, getConfig().sandbox.seedDeposits);
          if (switches.liveTraffic && now.getTime() - (state.lastLiveAt ?? 0) >= pace) {
            state.lastLiveAt = now.getTime();
            await createLiveDeposit(ctx, now);
          }
          const report = await deliverDue(ctx, now, 100);
          await reportSeedProgress(ctx);
          if (report.sent < 100) break; // caught up
        }
      } catch (error) {
        console.error(`[sandbox] ${describeError(error)}`);
      } finally {
        state.running = false;
      }
    };
    state.timer = setInterval(tick, 1_000);
    state.timer.unref();
    await tick();
  })().catch((error) => {
    // The database is down (or its sandbox tables cannot be read yet): try again until it answers.
    state.started = false;
    console.error(`[sandbox] could not start: ${describeError(error)}; trying again in 2 s`);
    setTimeout(() => startSandboxLoop(options), 2_000).unref();
  });
}

/** Stops the simulator's clock (a shutdown): its current round finishes; claims it holds expire for another. */
export async function stopSandboxLoop(timeoutMs = 10_000): Promise<void> {
  clearInterval(state.timer);
  state.timer = undefined;
  await waitUntilIdle(() => state.running === true, timeoutMs);
}

const count = (n: number) => n.toLocaleString("en-US");

/** Logs "history arriving: N of M" every few seconds until the seeded history has all been sent, then a summary. */
async function reportSeedProgress(ctx: SandboxContext): Promise<void> {
  const seed = state.seed;
  if (!seed || Date.now() - seed.loggedAt < SEED_PROGRESS_EVERY_MS) return;
  const progress = await readSeedProgress(ctx.db);
  if (!progress) return;
  seed.loggedAt = Date.now();
  const sent = progress.delivered + progress.refused;
  if (!progress.done) {
    console.info(`[sandbox] history arriving: ${count(sent)} of ${count(progress.total)} notifications`);
    return;
  }
  state.seed = undefined;
  historyDelivered();
  console.info(
    `[sandbox] history delivered: ${count(progress.total)} notifications in ` +
      `${((Date.now() - seed.startedAt) / 1000).toFixed(1)} s (${count(progress.refused)} sent to the failing ` +
      "Result URL on purpose, listed in callback_error_list)",
  );
}

function historyDelivered(): void {
  const callback = state.onHistoryDelivered;
  state.onHistoryDelivered = undefined;
  callback?.();
}

async function waitForOwnServer(origin: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const response = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`this app did not answer at ${origin} (set APP_ORIGIN to where it listens)`);
}
