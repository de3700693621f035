// "Refresh from SkinsBack" (operator): reads the deposit with orderstatus and applies it through the ingest path,
// recorded in the deposit's timeline (source status_check) and in the audit log.
import { callerLabel, recordAudit } from "@/lib/audit/audit-log";
import { applySkinsbackTruth } from "@/lib/deposits/skinsback-truth";
import { AppError } from "@/lib/errors/app-error";
import { configuredSkinsbackClient } from "@/lib/gateway/skinsback-gateway";
import { withRoute } from "@/lib/route/with-route";
import { RateBudgetExhaustedError } from "@/lib/skinsback/errors";
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
    const message = error instanceof Error ? error.message : String(error);
    await audit("failed", { message });
    throw new AppError("bad_gateway", `SkinsBack could not answer: ${message}`, { cause: error });
  }
  if (!truth.ok) {
    await audit("failed", { message: truth.message });
    throw new AppError("bad_gateway", truth.message);
  }
  const { outcome, previousStatus, status } = truth.observed;
  await audit("ok", { outcome, from: previousStatus ?? null, to: status });
  return Response.json({ outcome, previousStatus: previousStatus ?? null, status });
});
