// The failed-notification screen's data: rows, counts per filter, the sync's last and next run, the bulk job.

import { FAILED_SYNC_JOB } from "@/lib/failed-notifications/failed-loops";
import { failedFiltersSchema } from "@/lib/failed-notifications/list";
import { readFailedScreen } from "@/lib/failed-notifications/screen";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: failedFiltersSchema }, async ({ db, query }) =>
  Response.json(await readFailedScreen(db, query, FAILED_SYNC_JOB)),
);
