import type { Db } from "@/lib/db/client";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { handleSandboxApi } from "@/lib/sandbox/api";
import type { SandboxContext } from "@/lib/sandbox/engine";
import { serve } from "./http-server";

export const SANDBOX_TEST_CREDENTIALS = { clientId: "1490", clientSecret: "XCvlP45Y2dH2UmHhk" };

/**
 * One loopback HTTP server playing both sides, as the app does in sandbox mode: SkinsBack's API at
 * /sandbox/api.php (its own tables in `sandboxDb`) and the console's Result URL at /api/webhooks/skinsback
 * (the console's tables in `consoleDb`), plus an endpoint that always fails.
 */
export async function startSandboxHarness(options: {
  sandboxDb: Db;
  consoleDb: Db;
  rateLimit?: number;
  rateWindowMs?: number;
  /** Called as each API request arrives (a test counts them on its own clock). */
  onApiRequest?: () => void;
}) {
  let ctx: SandboxContext | undefined;
  const server = await serve(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/sandbox/api.php") {
      options.onApiRequest?.();
      return handleSandboxApi(ctx as SandboxContext, request, {
        rateLimit: options.rateLimit,
        rateWindowMs: options.rateWindowMs,
      });
    }
    if (path === "/api/webhooks/skinsback") {
      return receiveSkinsbackWebhook(
        { getDb: async () => options.consoleDb, credentials: SANDBOX_TEST_CREDENTIALS },
        request,
      );
    }
    if (path === "/failing") return new Response("nope", { status: 500 });
    return new Response("not found", { status: 404 });
  });
  ctx = {
    db: options.sandboxDb,
    ...SANDBOX_TEST_CREDENTIALS,
    resultUrl: `${server.origin}/api/webhooks/skinsback`,
    failingResultUrl: `${server.origin}/failing`,
    publicOrigin: server.origin,
  };
  return { ctx, origin: server.origin, apiUrl: `${server.origin}/sandbox/api.php`, close: server.close };
}
