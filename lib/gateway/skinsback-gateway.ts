import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { apiCalls } from "@/lib/db/schema";
import { describeError } from "@/lib/errors/describe-error";
import { metrics } from "@/lib/metrics/registry";
import { REDACTED, SECRET_FIELDS } from "@/lib/security/secret-names";
import type { RateBudget } from "@/lib/skinsback/client";
import { type CallRecord, createSkinsbackClient, type SkinsbackClient } from "@/lib/skinsback/client";
import { createRateBudget, type RateBudgetClock, SKINSBACK_CALLS_PER_MINUTE } from "./rate-budget";

/** Parameters that identify a user's Steam trade access: kept out of the call log. */

export function redactParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? REDACTED : v]));
}

export type GatewayConfig = {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  maxBudgetWaitMs?: number;
  /** Calls per rolling window for this project, shared by every instance (SkinsBack allows 500 a minute). */
  callsPerMinute?: number;
  /**
   * The budget's window. SkinsBack counts 60 s from when a request reaches it, we from when we send it: a second
   * of margin keeps a call sent the moment a slot frees from landing inside SkinsBack's previous window (a -7
   * blocks the whole project). Tests shorten it.
   */
  windowMs?: number;
  /** The budget's clock (tests step through windows with a manual one); the database's clock by default. */
  clock?: RateBudgetClock;
  /**
   * A background job's cap on the shared budget: it may use at most this share (0–1] of the calls in a window,
   * counted in a bucket of its own (`share.bucket`), so operators' calls always find room.
   */
  share?: { bucket: string; fraction: number };
};

export const DEFAULT_BUDGET_WINDOW_MS = 61_000;

/**
 * The SkinsBack client as the console uses it: every call takes a slot of the project's shared rate budget and
 * is recorded in api_calls under `caller`, with trade tokens redacted. The secret stays in this process.
 */
export function skinsbackGateway(db: Db, config: GatewayConfig, caller: string): SkinsbackClient {
  return createSkinsbackClient({
    apiUrl: config.apiUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    timeoutMs: config.timeoutMs,
    maxBudgetWaitMs: config.maxBudgetWaitMs,
    rateBudget: projectBudget(db, config),
    onCall: (record) => recordCall(db, record, caller),
  });
}

function projectBudget(db: Db, config: GatewayConfig): RateBudget {
  const windowMs = config.windowMs ?? DEFAULT_BUDGET_WINDOW_MS;
  const limit = config.callsPerMinute ?? SKINSBACK_CALLS_PER_MINUTE;
  const shared = createRateBudget(db, {
    bucket: projectBucket(config.clientId),
    limit,
    windowMs,
    clock: config.clock,
  });
  const { share } = config;
  if (!share) return shared;
  const own = createRateBudget(db, {
    bucket: `${projectBucket(config.clientId)}:${share.bucket}`,
    limit: Math.max(1, Math.floor(limit * share.fraction)),
    windowMs,
    clock: config.clock,
  });
  return {
    // The job's own slot first: a job at its share waits there and takes nothing from the shared window. A
    // slot taken in its bucket and then refused by the shared one is spent: the share errs on the small side.
    async acquire(maxWaitMs) {
      const mine = await own.acquire(maxWaitMs);
      return mine.granted ? shared.acquire(maxWaitMs) : mine;
    },
    block: (ms) => shared.block(ms),
  };
}

/** The shared budget of one SkinsBack project (its Client ID): every instance and caller counts here. */
export const projectBucket = (clientId: string) => `skinsback:${clientId}`;

/**
 * The gateway for the configured project (the sandbox's or the merchant's credentials), as `caller`; a
 * background job passes its `share` of the budget and how long a call may wait for room.
 */
export function configuredSkinsbackClient(
  db: Db,
  config: AppConfig,
  caller: string,
  options: Pick<GatewayConfig, "share" | "maxBudgetWaitMs"> = {},
): SkinsbackClient {
  const { apiUrl, clientId, clientSecret } = config.skinsback;
  return skinsbackGateway(db, { apiUrl, clientId, clientSecret, ...options }, caller);
}

async function recordCall(db: Db, record: CallRecord, caller: string): Promise<void> {
  metrics().skinsbackCalls.inc({ method: record.method, outcome: record.outcome });
  metrics().skinsbackSeconds.observe({ method: record.method }, record.durationMs / 1000);
  try {
    await db.insert(apiCalls).values({
      method: record.method,
      params: redactParams(record.params),
      outcome: record.outcome,
      errorCode: record.errorCode,
      errorMessage: record.errorMessage?.slice(0, 500),
      durationMs: record.durationMs,
      attempts: record.attempts,
      caller,
    });
  } catch (error) {
    // The call itself succeeded or failed on its own; a lost log line must not change its outcome.
    console.error(`[skinsback] could not record a ${record.method} call: ${describeError(error)}`);
  }
}
