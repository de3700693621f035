import { AppError, type AppErrorOptions, type ErrorCode } from "@/lib/errors/app-error";
import type { MethodName } from "./methods";

/**
 * Every failure of a SkinsBack call is one of these, carrying the method it happened in. Each is an AppError
 * whose code says what the failure means to whoever asked us (the proxy's caller, an operator's click).
 */
export class SkinsBackError extends AppError {
  override name = "SkinsBackError";
  constructor(
    readonly method: MethodName,
    code: ErrorCode,
    message: string,
    options?: AppErrorOptions,
  ) {
    super(code, message, options);
  }
}

/** What SkinsBack's project-wide error codes ask of the merchant (docs/skinsback-protocol.md#errors). */
const API_ERROR_HINTS: Record<number, string> = {
  [-2]: "check SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET against the merchant panel",
  [-3]: "check SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET against the merchant panel",
  [-10]: "check SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET against the merchant panel",
  [-4]: "the SkinsBack project is not active",
  [-6]: "skins withdrawal (market) is disabled for this project",
  [-7]: "SkinsBack's 500 requests/minute limit was reached; the project is blocked for a while",
  [-8]: "register this server's public IP address in the SkinsBack merchant panel",
  [-9]: "SkinsBack is under maintenance; try again later",
};

/**
 * SkinsBack answered `status: "error"`. `skinsbackCode` is only meaningful together with `method` (codes are
 * reused). A positive code is a method's own refusal (unknown deposit, insufficient funds…): the request was
 * understood and declined, so 422; the negative, project-wide ones are the gateway failing us.
 */
export class SkinsBackApiError extends SkinsBackError {
  override name = "SkinsBackApiError";
  constructor(
    method: MethodName,
    readonly skinsbackCode: number,
    readonly errorMessage: string,
  ) {
    const code: ErrorCode =
      skinsbackCode === -7
        ? "rate_limited"
        : skinsbackCode === -9
          ? "unavailable"
          : skinsbackCode > 0
            ? "unprocessable"
            : "bad_gateway";
    const hint = API_ERROR_HINTS[skinsbackCode];
    super(method, code, `SkinsBack ${method} failed: ${errorMessage} (${skinsbackCode})`, {
      details: { skinsbackCode, errorMessage, ...(hint ? { hint } : {}) },
      headers: skinsbackCode === -7 || skinsbackCode === -9 ? { "retry-after": "60" } : {},
    });
  }
}

/** No usable answer: connection refused or reset, timeout, or a non-JSON reply. */
export class SkinsBackNetworkError extends SkinsBackError {
  override name = "SkinsBackNetworkError";
  constructor(method: MethodName, message: string, options?: { cause?: unknown }) {
    super(method, "gateway_timeout", message, { details: { hint: "SkinsBack did not answer" }, ...options });
  }
}

/** The answer was JSON but not the shape the method documents. */
export class SkinsBackResponseError extends SkinsBackError {
  override name = "SkinsBackResponseError";
  constructor(method: MethodName, message: string) {
    super(method, "bad_gateway", message);
  }
}

/** Our parameters were refused before anything was sent. */
export class SkinsBackParamsError extends SkinsBackError {
  override name = "SkinsBackParamsError";
  constructor(
    method: MethodName,
    readonly issues: string[],
  ) {
    super(method, "bad_request", `invalid parameters for ${method}: ${issues.join("; ")}`, {
      details: { issues },
    });
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
    super(method, "bad_gateway", message, { details: { existing }, ...options });
  }
}

/** The shared 500/min budget has no room within the caller's wait bound: nothing was sent. */
export class RateBudgetExhaustedError extends SkinsBackError {
  override name = "RateBudgetExhaustedError";
  constructor(
    method: MethodName,
    override readonly retryAfterSeconds: number,
  ) {
    super(
      method,
      "rate_limited",
      `SkinsBack's call budget is full (rate budget exhausted, retry in ${retryAfterSeconds} s)`,
      { retryAfterSeconds },
    );
  }
}
