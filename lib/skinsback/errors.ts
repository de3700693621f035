import type { MethodName } from "./methods";

/** Every failure of a SkinsBack call is one of these, carrying the method it happened in. */
export class SkinsBackError extends Error {
  override name = "SkinsBackError";
  constructor(
    readonly method: MethodName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** SkinsBack answered `status: "error"`. `code` is only meaningful together with `method` (codes are reused). */
export class SkinsBackApiError extends SkinsBackError {
  override name = "SkinsBackApiError";
  constructor(
    method: MethodName,
    readonly code: number,
    readonly errorMessage: string,
  ) {
    super(method, `SkinsBack ${method} failed: ${errorMessage} (${code})`);
  }
}

/** No usable answer: connection refused or reset, timeout, or a non-JSON reply. */
export class SkinsBackNetworkError extends SkinsBackError {
  override name = "SkinsBackNetworkError";
}

/** The answer was JSON but not the shape the method documents. */
export class SkinsBackResponseError extends SkinsBackError {
  override name = "SkinsBackResponseError";
}

/** Our parameters were refused before anything was sent. */
export class SkinsBackParamsError extends SkinsBackError {
  override name = "SkinsBackParamsError";
  constructor(
    method: MethodName,
    readonly issues: string[],
  ) {
    super(method, `invalid parameters for ${method}: ${issues.join("; ")}`);
  }
}

/**
 * A call that moves money or creates something failed without an answer: it may or may not have happened.
 * It is never repeated blindly; `existing` names what a check found under the call's idempotency key.
 */
export class SkinsBackOutcomeUnknownError extends SkinsBackError {
  override name = "SkinsBackOutcomeUnknownError";
  constructor(
    method: MethodName,
    message: string,
    readonly existing?: { transactionId?: string; buyId?: string },
    options?: { cause?: unknown },
  ) {
    super(method, message, options);
  }
}

/** The shared 500/min budget has no room within the caller's wait bound. */
export class RateBudgetExhaustedError extends SkinsBackError {
  override name = "RateBudgetExhaustedError";
  constructor(
    method: MethodName,
    readonly retryAfterSeconds: number,
  ) {
    super(method, `rate budget exhausted, retry in ${retryAfterSeconds} s`);
  }
}
