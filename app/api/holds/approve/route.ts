// Approve a held deposit early (operator): offer_approve through the signed client, once per deposit.
import { z } from "zod";
import { replayDeps } from "@/lib/failed-notifications/runtime";
import { approveHold } from "@/lib/holds/approve";
import { approveResponse } from "@/lib/holds/respond";
import { problem, withRoute } from "@/lib/http/with-route";

export const dynamic = "force-dynamic";

const approveBodySchema = z.strictObject({
  transactionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a transaction id"),
  reason: z.string().trim().min(3, "say why (at least 3 characters)").max(500),
});

export const POST = withRoute({ body: approveBodySchema }, async (ctx) => {
  if (ctx.caller.kind !== "operator") return problem(403, "approvals are made by a signed-in operator");
  const { operator } = ctx.caller;
  const result = await approveHold(
    { db: ctx.db, client: replayDeps(ctx.db, ctx.config, `operator:${operator.id}`).client },
    {
      transactionId: ctx.body.transactionId,
      reason: ctx.body.reason,
      actor: { kind: "operator", id: operator.id, email: operator.email },
      address: ctx.address,
    },
  );
  return approveResponse(result);
});
