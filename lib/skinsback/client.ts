import { parse as parseLosslessJson } from "lossless-json";
import { zodIssues } from "@/lib/errors/app-error";
import type { CallOutcome } from "./call-outcome";
import {
  RateBudgetExhaustedError,
  SkinsBackApiError,
  SkinsBackError,
  SkinsBackNetworkError,
  SkinsBackOutcomeUnknownError,
  SkinsBackParamsError,
  SkinsBackResponseError,
} from "./errors";
import { METHOD_NAMES, METHODS, type MethodName, type MethodParams, type MethodResult } from "./methods";
import { findAmbiguousSignedField, signParams } from "./signature";
import { withExactNumbersAsText } from "./signed-message";

/**
 * The SkinsBack API client: one signed POST per call (`method`, `shopid`, `sign` in a JSON body of strings).
 * Knows nothing of our tables; the rate budget and the call log are injected.
 */

export type RateBudget = {
  /** Resolves when a call may be sent; rejects with the wait needed when none fits within `maxWaitMs`. */
  acquire(maxWaitMs: number): Promise<{ granted: true } | { granted: false; retryAfterMs: number }>;
  /** SkinsBack said -7: nobody sends for `ms`. */
  block(ms: number): Promise<void>;
};

export type CallRecord = {
  method: MethodName;
  params: Record<string, unknown>;
  outcome: CallOutcome;
  errorCode?: number;
  errorMessage?: string;
  durationMs: number;
  attempts: number;
};

export type SkinsbackClientOptions = {
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  rateBudget?: RateBudget;
  /** Per HTTP attempt. */
  timeoutMs?: number;
  /** How long a caller may wait for room in the rate budget. */
  maxBudgetWaitMs?: number;
  /** Read-method retries after network errors or -9 (maintenance). */
  readRetries?: number;
  retryBaseDelayMs?: number;
  onCall?: (record: CallRecord) => void | Promise<void>;
};

type CallOptions = { signal?: AbortSignal };

export type SkinsbackClient = {
  call<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    options?: CallOptions,
  ): Promise<MethodResult<M>>;
} & { [M in MethodName]: (params: MethodParams<M>, options?: CallOptions) => Promise<MethodResult<M>> };

/** After -7 SkinsBack blocks the project for a while; the docs do not say how long. */
const REQUEST_LIMIT_BLOCK_MS = 60_000;

export function createSkinsbackClient(options: SkinsbackClientOptions): SkinsbackClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const readRetries = options.readRetries ?? 2;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 250;

  async function send<M extends MethodName>(method: M, wire: Record<string, unknown>, signal?: AbortSignal) {
    if (options.rateBudget) {
      const slot = await options.rateBudget.acquire(options.maxBudgetWaitMs ?? 5_000);
      if (!slot.granted)
        throw new RateBudgetExhaustedError(method, Math.max(1, Math.ceil(slot.retryAfterMs / 1000)));
    }
    const body = { ...wire, method, shopid: options.clientId };
    const signed = { ...body, sign: signParams(body as Record<string, string>, options.clientSecret) };
    let response: Response;
    let text: string;
    try {
      response = await fetch(options.apiUrl, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(signed),
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
          : AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason =
        (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describe(error);
      throw new SkinsBackNetworkError(method, `SkinsBack ${method}: ${reason}`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = withExactNumbersAsText(parseLosslessJson(text));
    } catch {
      throw new SkinsBackNetworkError(
        method,
        `SkinsBack ${method}: HTTP ${response.status} with a non-JSON body`,
      );
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new SkinsBackResponseError(method, `SkinsBack ${method}: the answer is not a JSON object`);
    }
    const envelope = parsed as Record<string, unknown>;
    // The only API error: `status` doubles as the deposit status in orderstatus, so "fail" is an answer.
    if (envelope.status === "error") {
      const code = Number.parseInt(String(envelope.error_code ?? "0"), 10);
      const known = code < 0 ? undefined : (METHODS[method].errors as Record<number, string>)[code];
      throw new SkinsBackApiError(method, code, String(envelope.error_message ?? known ?? "unknown_error"));
    }
    const result = METHODS[method].response.safeParse(envelope);
    if (!result.success) {
      const issues = zodIssues(result.error).slice(0, 3);
      throw new SkinsBackResponseError(
        method,
        `SkinsBack ${method}: unexpected answer (${issues.join("; ")})`,
      );
    }
    return result.data as MethodResult<M>;
  }

  async function call<M extends MethodName>(
    method: M,
    params: MethodParams<M>,
    callOptions: CallOptions = {},
  ): Promise<MethodResult<M>> {
    const started = performance.now();
    let attempts = 0;
    const record = async (outcome: CallRecord["outcome"], error?: unknown) => {
      if (!options.onCall) return;
      await options.onCall({
        method,
        params: params as Record<string, unknown>,
        outcome,
        errorCode: error instanceof SkinsBackApiError ? error.skinsbackCode : undefined,
        errorMessage: error instanceof Error ? error.message : undefined,
        durationMs: Math.round(performance.now() - started),
        attempts,
      });
    };

    const validated = METHODS[method].params.safeParse(params);
    if (!validated.success) {
      const error = new SkinsBackParamsError(method, zodIssues(validated.error, "params"));
      await record("invalid_params", error);
      throw error;
    }
    const wire = stripUndefined(validated.data);
    // Whatever a schema allows, nothing is signed that could be read as other fields (signature.ts).
    const ambiguous = findAmbiguousSignedField(wire);
    if (ambiguous) {
      const error = new SkinsBackParamsError(method, [ambiguous]);
      await record("invalid_params", error);
      throw error;
    }
    const kind = METHODS[method].kind;

    try {
      for (;;) {
        attempts += 1;
        try {
          const result = await send(method, wire, callOptions.signal);
          await record("ok");
          return result;
        } catch (error) {
          if (error instanceof SkinsBackApiError && error.skinsbackCode === -7) {
            await options.rateBudget?.block(REQUEST_LIMIT_BLOCK_MS);
            throw error;
          }
          const transient =
            error instanceof SkinsBackNetworkError ||
            (error instanceof SkinsBackApiError && error.skinsbackCode === -9);
          if (!transient) throw error;
          if (kind === "write") {
            if (error instanceof SkinsBackApiError) throw error; // maintenance: nothing happened
            throw await outcomeUnknown(method, wire, error);
          }
          if (attempts > readRetries) throw error;
          await sleep(retryBaseDelayMs * 4 ** (attempts - 1), callOptions.signal);
        }
      }
    } catch (error) {
      await record(outcomeOf(error), error);
      throw error;
    }
  }

  /**
   * A write got no answer. Look it up under its idempotency key (order_id / custom_id) rather than sending it
   * again: the caller learns whether it happened and decides; a repeat with the same key is then safe.
   */
  async function outcomeUnknown(method: MethodName, wire: Record<string, unknown>, cause: unknown) {
    const base = `SkinsBack ${method} got no answer; it may or may not have happened`;
    try {
      if (
        (method === "create" || method === "create_from_user_inventory") &&
        typeof wire.order_id === "string"
      ) {
        const found = await call("orderstatus", { order_id: wire.order_id }).catch((e) => {
          if (e instanceof SkinsBackApiError && e.skinsbackCode === 4) return undefined;
          throw e;
        });
        return new SkinsBackOutcomeUnknownError(
          method,
          found
            ? `${base}: order ${wire.order_id} exists as transaction ${found.transaction_id}`
            : `${base}: order ${wire.order_id} was not found, so repeating it with the same order_id is safe`,
          found ? { transactionId: String(found.transaction_id) } : undefined,
          { cause },
        );
      }
      if (method === "market_buy" && typeof wire.custom_id === "string") {
        const found = await call("market_getinfo", { custom_ids: [wire.custom_id] });
        const purchase = (
          Array.isArray(found.items) ? (found.items as { buy_id: string }[]) : [found as { buy_id: string }]
        )[0];
        return new SkinsBackOutcomeUnknownError(
          method,
          purchase
            ? `${base}: purchase ${wire.custom_id} exists as buy ${purchase.buy_id}`
            : `${base}: purchase ${wire.custom_id} was not found, so repeating it with the same custom_id is safe`,
          purchase ? { buyId: String(purchase.buy_id) } : undefined,
          { cause },
        );
      }
    } catch {
      // The check failed too: say so below.
    }
    return new SkinsBackOutcomeUnknownError(method, `${base}; check it before repeating`, undefined, {
      cause,
    });
  }

  const client = { call } as SkinsbackClient;
  for (const method of METHOD_NAMES) {
    (client as Record<string, unknown>)[method] = (params: never, callOptions?: CallOptions) =>
      call(method, params, callOptions);
  }
  return client;
}

function outcomeOf(error: unknown): CallRecord["outcome"] {
  if (error instanceof RateBudgetExhaustedError) return "rate_limited";
  if (error instanceof SkinsBackApiError) return error.skinsbackCode === -7 ? "rate_limited" : "api_error";
  if (error instanceof SkinsBackParamsError) return "invalid_params";
  if (error instanceof SkinsBackResponseError) return "response_error";
  if (error instanceof SkinsBackError) return "network_error";
  return "network_error";
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
