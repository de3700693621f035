// Alarm settings (admin): minutes without a notification before the silence alarm.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit-log";
import { withRoute } from "@/lib/http/with-route";
import { SETTINGS, writeSetting } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  { body: z.strictObject({ silenceMinutes: SETTINGS["alarms.silence-minutes"].schema }) },
  async (ctx) => {
    const label = ctx.caller.kind === "operator" ? ctx.caller.operator.email : ctx.caller.kind;
    await writeSetting(ctx.db, "alarms.silence-minutes", ctx.body.silenceMinutes, label);
    await recordAudit(ctx.db, {
      actor: ctx.actor,
      action: "settings.change",
      outcome: "ok",
      address: ctx.address,
      detail: { "alarms.silence-minutes": ctx.body.silenceMinutes },
    });
    return Response.json({ silenceMinutes: ctx.body.silenceMinutes });
  },
);
