import pino from "pino";
import type { FinishedRequest } from "@/lib/http/server-requests";
import { REDACTED, SECRET_FIELDS, SECRET_HEADERS } from "@/lib/security/secret-names";

/**
 * One structured JSON line per request in production (pino): request id, method, path (never the query string,
 * which may carry a cursor or a filter someone typed), status and duration. Headers and bodies are not logged at
 * all, so `sign`, `X-SIGN`, cookies, API keys and passwords cannot reach the log; pino's `redact` list is the
 * second line of defence for anything a later field adds. `LOG_LEVEL` (default info) sets what is written.
 */
export function requestLogger(level: string): (request: FinishedRequest) => void {
  const log = pino({
    level,
    base: { pid: process.pid },
    redact: {
      paths: [...SECRET_FIELDS, ...[...SECRET_HEADERS].map((h) => `headers["${h}"]`)],
      censor: REDACTED,
    },
  });
  return (request) => {
    // A health check every second from each balancer would drown the rest: they are logged at debug.
    const quiet = request.path === "/api/health" || request.path === "/api/metrics";
    const line = {
      requestId: request.requestId,
      method: request.method,
      path: request.path,
      status: request.status,
      durationMs: request.durationMs,
    };
    if (quiet) log.debug(line, "request");
    else if (request.status >= 500) log.error(line, "request");
    else log.info(line, "request");
  };
}
