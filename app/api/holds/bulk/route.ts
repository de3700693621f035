// Approve several low-risk held deposits at once (operator): one by one, each through the same approval as a
// single one (so each is once-only, capped and audited), inside the shared rate budget; each result reported.
import { z } from "zod";
import { callerLabel } from "@/lib/audit/audit-log";
import { AppError } from "@/lib/errors/app-error";
import { configuredSkinsbackClient } from "@/lib/gateway/skinsback-gateway";
import { approveHold } from "@/lib/holds/approve";
import { withRoute } from "@/lib/route/with-route";
import { transactionIdSchema } from "@/lib/skinsback/notification";

export const dynamic = "force-dynamic";

export const POST = withRoute(
  {
    body: z.strictObject({
      transactionIds: z.array(transactionIdSchema).min(1).max(100, "at most 100 at once"),
      reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
    }),
  },
  async (ctx) => {
    if (ctx.caller.kind !== "operator")
      throw new AppError("forbidden", "approvals are made by a signed-in operator");
    const { operator } = ctx.caller;
    const deps = {
      db: ctx.db,
      client: configuredSkinsbackClient(ctx.db, ctx.config, callerLabel(ctx.actor)),
    };
    const results: { transactionId: string; kind: string; message: string }[] = [];
    for (const transactionId of [...new Set(ctx.body.transactionIds)]) {
      const result = await approveHold(deps, {
        transactionId,
        reason: ctx.body.reason,
        actor: { kind: "operator", id: operator.id, email: operator.email },
        address: ctx.address,
        bulk: true,
      });
      results.push({ transactionId, kind: result.kind, message: result.message });
      // The budget is full: the rest would fail the same way; report them as not sent.
      if (result.kind === "failed" && result.retryAfterSeconds) {
        for (const rest of ctx.body.transactionIds.slice(results.length)) {
          results.push({ transactionId: rest, kind: "failed", message: "not sent: the call budget is full" });
        }
        break;
      }
    }
    return Response.json({ results });
  },
);
