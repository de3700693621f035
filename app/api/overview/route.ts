// The overview's figures for a period (7 / 30 / 90 UTC days), from the daily rollup.

import { overviewParamsSchema, readOverview } from "@/lib/overview/overview";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: overviewParamsSchema }, async ({ db, query }) =>
  Response.json(await readOverview(db, query)),
);
