// Retention (admin): how long the console keeps its bookkeeping; audited.

import { RETENTION_SETTING } from "@/lib/retention/settings";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, settingChange } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({ body: RETENTION_SETTING.schema }, async (ctx) => {
  await changeSettings(ctx.db, [settingChange(RETENTION_SETTING, ctx.body)], ctx);
  return Response.json(ctx.body);
});
