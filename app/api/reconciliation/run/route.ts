// "Run now" (operator): a reconciliation over the last 48 hours, started in the background; audited. Refused
// while one runs on any instance (the job's row decides).
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit-log";
import { AppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { claimJobRun, runClaimedJob } from "@/lib/jobs/scheduler";
import { reconcileJob } from "@/lib/reconciliation/jobs";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: z.strictObject({}).optional() }, async ({ db, config, by }) => {
  const job = reconcileJob(config, "manual", by.label);
  const token = await claimJobRun(db, job, { force: true });
  if (!token) {
    throw new AppError("conflict", "A reconciliation is running already; its result will be listed here.");
  }
  await recordAudit(db, { actor: by.actor, action: "reconcile.run", outcome: "ok", address: by.address });
  void runClaimedJob(db, job, token).catch((error) => console.error(`[reconcile] ${describeError(error)}`));
  return Response.json({ started: true }, { status: 202 });
});
