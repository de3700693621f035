// Signed SkinsBack API proxy: POST /api/skinsback/<method> with JSON parameters; signed and sent server-side.
// Callers: an operator's session (from the browser) or CONSOLE_API_KEY as a bearer token (lib/auth/route-policy.ts).
import { handleProxyRequest } from "@/lib/gateway/proxy";
import { withRoute } from "@/lib/http/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { method: string }>(
  {},
  async ({ request, params, db, config, actor, address }) =>
    handleProxyRequest(
      {
        db,
        gateway: {
          apiUrl: config.skinsback.apiUrl,
          clientId: config.skinsback.clientId,
          clientSecret: config.skinsback.clientSecret,
        },
      },
      params.method,
      request,
      { actor, address },
    ),
);
