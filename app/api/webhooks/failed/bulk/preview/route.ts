// What "retry all matching" would do for a filter: how many rows, and their predicted effects.
import { previewBulkReplay } from "@/lib/failed-notifications/bulk";
import { failedFiltersSchema } from "@/lib/failed-notifications/list";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: failedFiltersSchema }, async ({ db, query }) => {
  const { limit: _limit, ...filters } = query;
  return Response.json(await previewBulkReplay(db, filters));
});
