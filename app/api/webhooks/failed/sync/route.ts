// "Sync now" (operator): runs the failed-list sync at once, unless an instance is running it already.
import { recordAudit } from "@/lib/audit/audit-log";
import { AppError } from "@/lib/errors/app-error";
import { failedSyncJob } from "@/lib/failed-notifications/failed-loops";
import { runJobIfDue } from "@/lib/jobs/scheduler";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({}, async ({ db, config, actor, address }) => {
  const outcome = await runJobIfDue(db, failedSyncJob(config), { force: true });
  if (!outcome.ran)
    throw new AppError("conflict", "a sync is running right now; its result will show when it ends");
  await recordAudit(db, {
    actor,
    action: "failed-list.sync",
    outcome: outcome.ok ? "ok" : "failed",
    address,
    detail: outcome.ok ? outcome.result : { error: outcome.error },
  });
  // The reason is in the audit log and the server log; the answer gives nothing of the server away.
  if (!outcome.ok) {
    throw new AppError("bad_gateway", "the sync failed: the audit log and the server log have the reason", {
      log: outcome.error,
    });
  }
  return Response.json(outcome);
});
