import type { ApproveResult } from "./approve";

/** An approval's answer over HTTP: approved and "already" are answers (200); a refusal 422; a failure 502 / 429. */
export function approveResponse(result: ApproveResult): Response {
  const status =
    result.kind === "approved" || result.kind === "already"
      ? 200
      : result.kind === "refused"
        ? 422
        : result.retryAfterSeconds
          ? 429
          : 502;
  const headers: Record<string, string> =
    result.kind === "failed" && result.retryAfterSeconds
      ? { "retry-after": String(result.retryAfterSeconds) }
      : {};
  return Response.json(status === 200 ? result : { error: result.message, kind: result.kind }, {
    status,
    headers,
  });
}
