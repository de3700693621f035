// Alarm settings (admin): minutes without a notification before the silence alarm.
import { z } from "zod";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, SETTINGS } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  { body: z.strictObject({ silenceMinutes: SETTINGS["alarms.silence-minutes"].schema }) },
  async (ctx) => {
    await changeSettings(ctx.db, { "alarms.silence-minutes": ctx.body.silenceMinutes }, ctx);
    return Response.json({ silenceMinutes: ctx.body.silenceMinutes });
  },
);
