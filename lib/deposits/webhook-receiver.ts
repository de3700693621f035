import { clientAddress } from "@/lib/http/client-address";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { redactHeaders } from "@/lib/http/redact-headers";
import { metrics } from "@/lib/metrics/registry";
import { MAX_NOTIFICATION_BYTES } from "@/lib/skinsback/notification";
import { type IngestDeps, type IngestResult, ingestNotification } from "./ingest-notification";
import type { ObservationOutcome } from "./status-machine";

export type WebhookReceiverDeps = IngestDeps & {
  /** Proxies in front of the app that append to X-Forwarded-For (config TRUSTED_PROXY_COUNT). */
  trustedProxies?: number;
  /** Told what a stored notification did (the route wakes the forwarding sender on a change). */
  onStored?: (outcome: ObservationOutcome) => void;
};

/**
 * The Result URL's HTTP adapter: reads the request (never more than the limit), hands it to `ingestNotification`,
 * and answers what SkinsBack understands — "OK" once stored (duplicates, stale and conflicting notifications
 * included, so SkinsBack does not list them as failed), 4xx for what will never be stored, 503 for what should
 * be sent again. `x-outcome` says what the ingest made of it, for people reading a trace.
 */
export async function receiveSkinsbackWebhook(
  deps: WebhookReceiverDeps,
  request: Request,
): Promise<Response> {
  const started = performance.now();
  const body = await readLimitedBody(request, MAX_NOTIFICATION_BYTES);
  const result = await ingestNotification(deps, {
    body: body.bytes,
    totalBytes: body.totalBytes,
    contentType: request.headers.get("content-type"),
    xSignHeader: request.headers.get("x-sign"),
    remoteAddress: clientAddress(request.headers, deps.trustedProxies ?? 0),
    headers: redactHeaders(request.headers),
  });
  if (result.kind === "stored") deps.onStored?.(result.outcome);
  const outcome = result.kind === "stored" || result.kind === "refused" ? result.outcome : "unavailable";
  metrics().notifications.inc({ outcome, status: result.kind === "stored" ? result.newStatus : "none" });
  metrics().ingestSeconds.observe({ outcome }, (performance.now() - started) / 1000);
  return ingestResponse(result);
}

export function ingestResponse(result: IngestResult): Response {
  if (result.kind === "stored") {
    return new Response("OK", {
      status: 200,
      headers: { "content-type": "text/plain; charset=utf-8", "x-outcome": result.outcome },
    });
  }
  if (result.kind === "refused" && result.recorded) {
    return Response.json({ error: result.error, code: result.outcome }, { status: result.httpStatus });
  }
  return Response.json(
    {
      error: "database unavailable; the notification was not stored, send it again later",
      code: "unavailable",
    },
    { status: 503, headers: { "retry-after": "5" } },
  );
}
