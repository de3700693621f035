import type { z } from "zod";

/**
 * The one error model (after dub's `DubApiError` and documenso's `AppError`): code says what kind of failure it
 * is and so which HTTP status answers it (one map, below); `message` is for people and is sent; `details` are
 * sent alongside it (field issues, a hint, who already did it); `log` and `cause` go to the server log only.
 *
 * Domain errors that a caller may see extend this class, so the route wrapper maps every error in one place and
 * no route translates an error by hand. An error that is not an AppError is a bug: it answers 500 with a
 * generic message and is logged.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
  gateway_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type AppErrorOptions = {
  /**
   * Sent with the message, e.g. `{ issues }`, `{ hint }`. Never a secret. `issues` is always a list of strings
   * "field: what is wrong" (`zodIssues` writes them so), whoever raises the error.
   */
  details?: Record<string, unknown>;
  /** Sent as Retry-After and as `retryAfterSeconds`. */
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
  /** For the server log only. */
  log?: string;
  cause?: unknown;
};

export class AppError extends Error {
  override name = "AppError";
  readonly details: Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;
  readonly headers: Record<string, string>;
  readonly log: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.headers = options.headers ?? {};
    this.log = options.log;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The JSON answer for an AppError: `{ error, ...details }`, with its status and headers. */
export function appErrorResponse(error: AppError): Response {
  const retry = error.retryAfterSeconds;
  return Response.json(
    {
      ...error.details,
      error: error.message,
      // The machine's word for the failure, next to the people's: what a client branches on.
      code: error.code,
      ...(retry === undefined ? {} : { retryAfterSeconds: retry }),
    },
    {
      status: error.status,
      headers: { ...error.headers, ...(retry === undefined ? {} : { "retry-after": String(retry) }) },
    },
  );
}

/**
 * A zod error as one line per issue, `path: message` (the path left out at the root, or `root` named instead).
 * The only place issues are formatted, so every 400 and every log line reads the same.
 */
export function zodIssues(error: z.ZodError, root?: string): string[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join(".") || root;
    return path ? `${path}: ${i.message}` : i.message;
  });
}
