// Failed-notification settings (admin): automatic replay after each sync.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit-log";
import { withRoute } from "@/lib/http/with-route";
import { writeSetting } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const PATCH = withRoute({ body: z.strictObject({ autoReplay: z.boolean() }) }, async (ctx) => {
  const label = ctx.caller.kind === "operator" ? ctx.caller.operator.email : ctx.caller.kind;
  await writeSetting(ctx.db, "failed-notifications.auto-replay", ctx.body.autoReplay, label);
  await recordAudit(ctx.db, {
    actor: ctx.actor,
    action: "settings.change",
    outcome: "ok",
    address: ctx.address,
    detail: { "failed-notifications.auto-replay": ctx.body.autoReplay },
  });
  return Response.json({ autoReplay: ctx.body.autoReplay });
});
