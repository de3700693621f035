// Failed-notification settings (admin): automatic replay after each sync.
import { z } from "zod";
import { AUTO_REPLAY_SETTING } from "@/lib/failed-notifications/settings";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, settingChange } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({ body: z.strictObject({ autoReplay: z.boolean() }) }, async (ctx) => {
  await changeSettings(ctx.db, [settingChange(AUTO_REPLAY_SETTING, ctx.body.autoReplay)], ctx);
  return Response.json({ autoReplay: ctx.body.autoReplay });
});
