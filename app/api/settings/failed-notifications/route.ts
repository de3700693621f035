// Failed-notification settings (admin): automatic replay after each sync.
import { z } from "zod";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({ body: z.strictObject({ autoReplay: z.boolean() }) }, async (ctx) => {
  await changeSettings(ctx.db, { "failed-notifications.auto-replay": ctx.body.autoReplay }, ctx);
  return Response.json({ autoReplay: ctx.body.autoReplay });
});
