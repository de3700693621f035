// Approve a held deposit early (operator): offer_approve through the signed client, once per deposit.
import { z } from "zod";
import { callerLabel } from "@/lib/audit/audit-log";
import { AppError } from "@/lib/errors/app-error";
import { configuredSkinsbackClient } from "@/lib/gateway/skinsback-gateway";
import { approveHold } from "@/lib/holds/approve";
import { withRoute } from "@/lib/route/with-route";
import { transactionIdSchema } from "@/lib/skinsback/notification";

export const dynamic = "force-dynamic";

const approveBodySchema = z.strictObject({
  transactionId: transactionIdSchema,
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
});

/** Approved and "already" are answers (200); a refusal (a cap, the risk) 422; a failure 502, or 429 to wait. */
export const POST = withRoute({ body: approveBodySchema }, async (ctx) => {
  if (ctx.caller.kind !== "operator") {
    throw new AppError("forbidden", "approvals are made by a signed-in operator");
  }
  const { operator } = ctx.caller;
  const result = await approveHold(
    { db: ctx.db, client: configuredSkinsbackClient(ctx.db, ctx.config, callerLabel(ctx.actor)) },
    {
      transactionId: ctx.body.transactionId,
      reason: ctx.body.reason,
      actor: { kind: "operator", id: operator.id, email: operator.email },
      address: ctx.address,
    },
  );
  if (result.kind === "approved" || result.kind === "already") return Response.json(result);
  const details = { kind: result.kind };
  if (result.kind === "refused") throw new AppError("unprocessable", result.message, { details });
  throw result.retryAfterSeconds
    ? new AppError("rate_limited", result.message, { details, retryAfterSeconds: result.retryAfterSeconds })
    : new AppError("bad_gateway", result.message, { details });
});
