// Proxy settings (admin): the Result URLs, besides the console's own, a deposit created through the proxy may name.
import { z } from "zod";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, SETTINGS } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  { body: z.strictObject({ resultUrls: SETTINGS["proxy.result-urls"].schema }) },
  async (ctx) => {
    await changeSettings(ctx.db, { "proxy.result-urls": ctx.body.resultUrls }, ctx);
    return Response.json({ resultUrls: ctx.body.resultUrls });
  },
);
