// Risk settings (admin): the assessment's thresholds and the exposure caps, audited.
import { z } from "zod";
import { HOLD_CAPS_SETTING } from "@/lib/holds/settings";
import { RISK_THRESHOLDS_SETTING } from "@/lib/risk/settings";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, settingChange } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

export const PATCH = withRoute(
  {
    body: z.strictObject({
      thresholds: RISK_THRESHOLDS_SETTING.schema.optional(),
      caps: HOLD_CAPS_SETTING.schema.optional(),
    }),
  },
  async (ctx) => {
    await changeSettings(
      ctx.db,
      [
        settingChange(RISK_THRESHOLDS_SETTING, ctx.body.thresholds),
        settingChange(HOLD_CAPS_SETTING, ctx.body.caps),
      ],
      ctx,
    );
    return Response.json(ctx.body);
  },
);
