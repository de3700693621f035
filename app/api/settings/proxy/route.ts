// Proxy settings (admin): the Result URLs, besides the console's own, a deposit created through the proxy may name.
import { z } from "zod";
import { PROXY_RESULT_URLS_SETTING } from "@/lib/gateway/settings";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, settingChange } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  { body: z.strictObject({ resultUrls: PROXY_RESULT_URLS_SETTING.schema }) },
  async (ctx) => {
    await changeSettings(ctx.db, [settingChange(PROXY_RESULT_URLS_SETTING, ctx.body.resultUrls)], ctx);
    return Response.json({ resultUrls: ctx.body.resultUrls });
  },
);
