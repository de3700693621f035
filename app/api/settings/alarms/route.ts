// Alarm settings (admin): minutes without a notification before the silence alarm.
import { z } from "zod";
import { SILENCE_MINUTES_SETTING } from "@/lib/deposits/silence";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, settingChange } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  { body: z.strictObject({ silenceMinutes: SILENCE_MINUTES_SETTING.schema }) },
  async (ctx) => {
    await changeSettings(ctx.db, [settingChange(SILENCE_MINUTES_SETTING, ctx.body.silenceMinutes)], ctx);
    return Response.json({ silenceMinutes: ctx.body.silenceMinutes });
  },
);
