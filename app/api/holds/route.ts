// The in-hold risk queue as JSON (the /holds page's data, polled).
import { holdQueueFiltersSchema, readHoldQueue } from "@/lib/holds/queue";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: holdQueueFiltersSchema }, async ({ db, query }) =>
  Response.json(await readHoldQueue(db, query)),
);
