// "Refresh from SkinsBack" (operator): reads the deposit with orderstatus and applies it through the ingest path,
// recorded in the deposit's timeline (source status_check) and in the audit log.
import { callerLabel, recordAudit } from "@/lib/audit/audit-log";
import { applySkinsbackTruth } from "@/lib/deposits/skinsback-truth";
import { AppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { configuredSkinsbackClient } from "@/lib/gateway/skinsback-gateway";
import { withRoute } from "@/lib/route/with-route";
import { RateBudgetExhaustedError, SkinsBackError } from "@/lib/skinsback/errors";
import { isTransactionId } from "@/lib/skinsback/transaction-id";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { transactionId: string }>({}, async (ctx) => {
  const transactionId = decodeURIComponent(ctx.params.transactionId);
  if (!isTransactionId(transactionId)) throw new AppError("bad_request", "not a transaction id");
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
  const client = configuredSkinsbackClient(ctx.db, ctx.config, callerLabel(ctx.actor));
  let truth: Awaited<ReturnType<typeof applySkinsbackTruth>>;
  try {
    truth = await applySkinsbackTruth(ctx.db, client, transactionId, "status_check");
  } catch (error) {
    // A full budget sent nothing: not a failed check, just "later" (429 with the wait).
    if (error instanceof RateBudgetExhaustedError) throw error;
    await audit("failed", { message: describeError(error) });
    // SkinsBack's own errors say what went wrong in words meant for the operator; anything else is ours, and its
    // text stays in the server log.
    if (error instanceof SkinsBackError) throw error;
    throw new AppError("bad_gateway", "the check could not be completed: the server log has the details", {
      cause: error,
      log: describeError(error),
    });
  }
  if (!truth.ok) {
    await audit("failed", { message: truth.message });
    throw new AppError("bad_gateway", truth.message);
  }
  const { outcome, previousStatus, status } = truth.observed;
  await audit("ok", { outcome, from: previousStatus ?? null, to: status });
  return Response.json({ outcome, previousStatus: previousStatus ?? null, status });
});
