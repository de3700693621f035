// Risk settings (admin): the assessment's thresholds and the exposure caps, audited.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit-log";
import { withRoute } from "@/lib/http/with-route";
import { SETTINGS, writeSetting } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  {
    body: z.strictObject({
      thresholds: SETTINGS["risk.thresholds"].schema.optional(),
      caps: SETTINGS["holds.caps"].schema.optional(),
    }),
  },
  async (ctx) => {
    const label = ctx.caller.kind === "operator" ? ctx.caller.operator.email : ctx.caller.kind;
    if (ctx.body.thresholds) await writeSetting(ctx.db, "risk.thresholds", ctx.body.thresholds, label);
    if (ctx.body.caps) await writeSetting(ctx.db, "holds.caps", ctx.body.caps, label);
    await recordAudit(ctx.db, {
      actor: ctx.actor,
      action: "settings.change",
      outcome: "ok",
      address: ctx.address,
      detail: {
        ...(ctx.body.thresholds && { "risk.thresholds": ctx.body.thresholds }),
        ...(ctx.body.caps && { "holds.caps": ctx.body.caps }),
      },
    });
    return Response.json(ctx.body);
  },
);
