// "Retry all matching" (operator): snapshot the open rows matching the filter into a background job.
import { startBulkReplay } from "@/lib/failed-notifications/bulk";
import { wakeBulkReplay } from "@/lib/failed-notifications/failed-loops";
import { failedFiltersSchema } from "@/lib/failed-notifications/list";
import { bulkView } from "@/lib/failed-notifications/screen";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

const body = failedFiltersSchema.omit({ limit: true, state: true });

export const POST = withRoute({ body }, async ({ db, body, by }) => {
  // A BulkReplayError (one is running, nothing matches) is a conflict the wrapper answers.
  const job = await startBulkReplay(db, { ...body, state: "open" }, by);
  wakeBulkReplay();
  return Response.json({ bulk: bulkView(job) }, { status: 201 });
});
