// "Sync now" (operator): runs the failed-list sync at once, unless an instance is running it already.
import { recordAudit } from "@/lib/audit/audit-log";
import { failedSyncJob } from "@/lib/failed-notifications/runtime";
import { problem, withRoute } from "@/lib/http/with-route";
import { runJobIfDue } from "@/lib/jobs/scheduler";

export const dynamic = "force-dynamic";

export const POST = withRoute({}, async ({ db, config, actor, address }) => {
  const outcome = await runJobIfDue(db, failedSyncJob(config), { force: true });
  if (!outcome.ran) return problem(409, "a sync is running right now; its result will show when it ends");
  await recordAudit(db, {
    actor,
    action: "failed-list.sync",
    outcome: outcome.ok ? "ok" : "failed",
    address,
    detail: outcome.ok ? outcome.result : { error: outcome.error },
  });
  if (!outcome.ok) return problem(502, `the sync failed: ${outcome.error}`);
  return Response.json(outcome);
});
