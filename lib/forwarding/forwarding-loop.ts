import { type StopLoop, waitUntilIdle } from "@/lib/jobs/scheduler";
import "server-only";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import type { ForwardEndpoint } from "@/lib/db/schema";
import { describeError } from "@/lib/errors/describe-error";
import {
  type Attempt,
  attemptClaimed,
  type ClaimedMessage,
  claimDueMessages,
  enabledEndpoints,
  recordAttempts,
  type SenderDeps,
} from "./sender";

/**
 * The sender loop of this instance: claims what is due, sends it without waiting for the whole batch (a slow
 * receiver holds only its own slots), and claims again when a send finishes, when an ingest here applied a
 * change (`wakeForwarder`), or after a second. Every instance runs one; the claims in the database keep them
 * apart.
 */

type LoopState = {
  started: boolean;
  wake?: () => void;
  inFlight: number;
  /** This instance's sends in flight, per endpoint. */
  perEndpoint: Map<string, number>;
  pending: boolean;
};
const globalScope = globalThis as { __forwardingLoop?: LoopState };
globalScope.__forwardingLoop ??= { started: false, inFlight: 0, perEndpoint: new Map(), pending: false };
const state: LoopState = globalScope.__forwardingLoop;

const IDLE_POLL_MS = 1_000;
/**
 * Rounds are at least this far apart: a burst of wake-ups (every applied webhook, every finished send) becomes
 * one claim for all of them, not one claim transaction each.
 */
const MIN_ROUND_GAP_MS = 2;
/**
 * The enabled endpoints are read again at most this often: a new or re-enabled endpoint starts within a second.
 * A pause holds at once (each claim checks the state under the endpoint's lock).
 */
const ENDPOINTS_TTL_MS = 1_000;
const ERROR_LOG_EVERY_MS = 30_000;
/** This instance never has more sends open than this, whatever the endpoints allow. */
const MAX_IN_FLIGHT = 256;

/** Something may be due now (an applied change, a finished send). */
export function wakeForwarder(): void {
  state.pending = true;
  state.wake?.();
}

export function senderDeps(db: Db, config: AppConfig): SenderDeps {
  return {
    db,
    now: () => new Date(),
    retryScheduleMs: config.forwarding.retryScheduleMs,
    allowPrivateNetworks: config.forwarding.allowPrivateNetworks,
    project: { clientId: config.skinsback.clientId, clientSecret: config.skinsback.clientSecret },
  };
}

export function startForwardingLoop(getDb: () => Promise<Db>, config: AppConfig): StopLoop {
  if (state.started) return async () => {};
  state.started = true;
  let stopped = false;
  const count = (endpointId: string, delta: number) =>
    state.perEndpoint.set(endpointId, (state.perEndpoint.get(endpointId) ?? 0) + delta);
  // Attempts that finished wait here to be recorded together: one statement for every send that ended while
  // the previous batch was being written. A message's slot is free once its attempt is recorded.
  let finished: Attempt[] = [];
  let recording = false;
  const release = (messages: ClaimedMessage[]) => {
    for (const m of messages) {
      state.inFlight -= 1;
      count(m.endpoint.id, -1);
    }
    wakeForwarder();
  };
  const record = async (deps: SenderDeps) => {
    if (recording) return;
    recording = true;
    try {
      while (finished.length > 0) {
        const batch = finished;
        finished = [];
        await recordAttempts(deps, batch).catch((error) =>
          // Unrecorded: the claims lapse and the messages are sent again, with the same webhook-ids.
          console.error(`[forwarding] could not record ${batch.length} attempt(s): ${describeError(error)}`),
        );
        release(batch.map((a) => a.message));
      }
    } finally {
      recording = false;
    }
  };
  const send = (deps: SenderDeps, message: ClaimedMessage) => {
    state.inFlight += 1;
    count(message.endpoint.id, 1);
    attemptClaimed(deps, message).then(
      (attempt) => {
        finished.push(attempt);
        void record(deps);
      },
      (error) => {
        console.error(`[forwarding] message ${message.id}: ${describeError(error)}`);
        release([message]);
      },
    );
  };
  let endpoints: ForwardEndpoint[] = [];
  let endpointsReadAt = 0;
  let lastErrorLoggedAt = 0;
  void (async () => {
    while (!stopped) {
      state.pending = false;
      try {
        const deps = senderDeps(await getDb(), config);
        if (Date.now() - endpointsReadAt > ENDPOINTS_TTL_MS) {
          endpoints = await enabledEndpoints(deps.db);
          endpointsReadAt = Date.now();
        }
        const room = MAX_IN_FLIGHT - state.inFlight;
        const roomFor = (e: ForwardEndpoint) =>
          Math.min(room, e.concurrency - (state.perEndpoint.get(e.id) ?? 0));
        // Every slot of this instance busy: nothing to claim until a send finishes (which wakes the loop).
        const claimed = endpoints.some((e) => roomFor(e) > 0)
          ? await claimDueMessages(deps, roomFor, endpoints)
          : [];
        for (const message of claimed) send(deps, message);
        await new Promise((resolve) => setTimeout(resolve, MIN_ROUND_GAP_MS));
        if (claimed.length > 0) continue;
      } catch (error) {
        // The database may be away; the next round tries again. Said once per half minute, not every second.
        if (Date.now() - lastErrorLoggedAt > ERROR_LOG_EVERY_MS) {
          lastErrorLoggedAt = Date.now();
          console.error(`[forwarding] ${describeError(error)} (retrying every second)`);
        }
      }
      if (state.pending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, IDLE_POLL_MS);
        timer.unref?.();
        state.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      state.wake = undefined;
    }
  })();
  // Stopping claims nothing more and waits for the sends in flight to be recorded; one still out when the time is
  // up keeps its claim, which lapses and is sent again by another instance with the same webhook-id.
  return async (timeoutMs = 10_000) => {
    stopped = true;
    state.started = false;
    state.wake?.();
    await waitUntilIdle(() => state.inFlight > 0 || recording, timeoutMs);
  };
}
