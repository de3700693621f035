// "Refresh from SkinsBack" (operator): reads the deposit with orderstatus and applies it through the ingest path,
// recorded in the deposit's timeline (source status_check) and in the audit log.
import { recordAudit } from "@/lib/audit/audit-log";
import { applySkinsbackTruth } from "@/lib/deposits/skinsback-truth";
import { replayDeps } from "@/lib/failed-notifications/runtime";
import { describeError } from "@/lib/http/describe-error";
import { problem, withRoute } from "@/lib/http/with-route";
import { RateBudgetExhaustedError, SkinsBackApiError } from "@/lib/skinsback/errors";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { transactionId: string }>({}, async (ctx) => {
  const transactionId = decodeURIComponent(ctx.params.transactionId);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(transactionId)) return problem(400, "not a transaction id");
  const label = ctx.caller.kind === "operator" ? `operator:${ctx.caller.operator.id}` : ctx.caller.kind;
  const audit = (outcome: "ok" | "failed", detail: Record<string, unknown>) =>
    recordAudit(ctx.db, {
      actor: ctx.actor,
      action: "deposit.refresh",
      outcome,
      target: { type: "deposit", id: transactionId },
      transactionId,
      address: ctx.address,
      detail,
    });
  try {
    const truth = await applySkinsbackTruth(
      ctx.db,
      replayDeps(ctx.db, ctx.config, label).client,
      transactionId,
      "status_check",
    );
    if (!truth.ok) {
      await audit("failed", { message: truth.message });
      return problem(502, truth.message);
    }
    const { outcome, previousStatus, status } = truth.observed;
    await audit("ok", { outcome, from: previousStatus ?? null, to: status });
    return Response.json({ outcome, previousStatus: previousStatus ?? null, status });
  } catch (error) {
    if (error instanceof RateBudgetExhaustedError) {
      return problem(
        429,
        `SkinsBack's call budget is full; try again in ${error.retryAfterSeconds} s`,
        {},
        {
          "retry-after": String(error.retryAfterSeconds),
        },
      );
    }
    const message = error instanceof SkinsBackApiError ? error.message : describeError(error);
    await audit("failed", { message });
    return problem(502, `SkinsBack could not answer: ${message}`);
  }
});
