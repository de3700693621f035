// Prometheus metrics (text exposition format), for a scraper holding CONSOLE_METRICS_TOKEN as a bearer token.
// Unset token: 404, as if the route did not exist. A GET: reading the figures changes nothing.
// Outside withRoute: Prometheus text behind its own bearer token (no session), a 404 while the token is unset.
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { scrapeMetrics } from "@/lib/monitoring/scrape";
import { constantTimeEqual } from "@/lib/security/constant-time-equal";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const config = getConfig();
  if (!config.metricsToken) return new Response("Not Found", { status: 404 });
  const token = (request.headers.get("authorization") ?? "").replace(/^Bearer\s+/i, "").trim();
  if (!token || !constantTimeEqual(token, config.metricsToken)) {
    return new Response("a valid bearer token is required", {
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="metrics"' },
    });
  }
  const db = await getDatabase().then(
    (handle) => handle.db,
    () => undefined,
  );
  return new Response(await scrapeMetrics(db, config), {
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
  });
}
