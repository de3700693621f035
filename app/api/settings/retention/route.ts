// Retention (admin): how long the console keeps its bookkeeping; audited.
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, SETTINGS } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({ body: SETTINGS.retention.schema }, async (ctx) => {
  await changeSettings(ctx.db, { retention: ctx.body }, ctx);
  return Response.json(ctx.body);
});
