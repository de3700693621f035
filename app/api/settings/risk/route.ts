// Risk settings (admin): the assessment's thresholds and the exposure caps, audited.
import { z } from "zod";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, SETTINGS } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  {
    body: z.strictObject({
      thresholds: SETTINGS["risk.thresholds"].schema.optional(),
      caps: SETTINGS["holds.caps"].schema.optional(),
    }),
  },
  async (ctx) => {
    await changeSettings(
      ctx.db,
      { "risk.thresholds": ctx.body.thresholds, "holds.caps": ctx.body.caps },
      ctx,
    );
    return Response.json(ctx.body);
  },
);
