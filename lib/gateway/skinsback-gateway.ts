import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { apiCalls } from "@/lib/db/schema";
import { describeError } from "@/lib/http/describe-error";
import { type CallRecord, createSkinsbackClient, type SkinsbackClient } from "@/lib/skinsback/client";
import { createRateBudget, type RateBudgetClock } from "./rate-budget";

/** Parameters that identify a user's Steam trade access: kept out of the call log. */
const SECRET_PARAMS = new Set(["trade_token", "token"]);

export function redactParams(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, SECRET_PARAMS.has(k) ? "[redacted]" : v]),
  );
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
    rateBudget: createRateBudget(db, {
      bucket: `skinsback:${config.clientId}`,
      limit: config.callsPerMinute,
      windowMs: config.windowMs ?? DEFAULT_BUDGET_WINDOW_MS,
      clock: config.clock,
    }),
    onCall: (record) => recordCall(db, record, caller),
  });
}

/** The gateway for the configured project (the sandbox's or the merchant's credentials), as `caller`. */
export function configuredSkinsbackClient(db: Db, config: AppConfig, caller: string): SkinsbackClient {
  const { apiUrl, clientId, clientSecret } = config.skinsback;
  return skinsbackGateway(db, { apiUrl, clientId, clientSecret }, caller);
}

async function recordCall(db: Db, record: CallRecord, caller: string): Promise<void> {
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
