// Signed SkinsBack API proxy: POST /api/skinsback/<method> with JSON parameters; signed and sent server-side.
// Callers: an operator's session (from the browser) or CONSOLE_API_KEY as a bearer token (lib/auth/route-policy.ts).
import { callProxy, MAX_PROXY_BODY_BYTES, proxyParamsSchema } from "@/lib/gateway/proxy";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<typeof proxyParamsSchema, never, { method: string }>(
  { body: proxyParamsSchema, maxBodyBytes: MAX_PROXY_BODY_BYTES },
  async ({ params, body, db, config, actor, address }) =>
    callProxy(
      {
        db,
        gateway: {
          apiUrl: config.skinsback.apiUrl,
          clientId: config.skinsback.clientId,
          clientSecret: config.skinsback.clientSecret,
        },
        ownResultUrls: [
          `${config.appOrigin}/api/webhooks/skinsback`,
          ...(config.skinsback.mode === "sandbox" ? [config.sandbox.failingResultUrl] : []),
        ],
      },
      params.method,
      body,
      { actor, address },
    ),
);
