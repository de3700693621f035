// The deposit list's totals for its filters (the page's totals line polls this).
import { depositListParamsSchema, depositTotals } from "@/lib/deposits/queries";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: depositListParamsSchema }, async ({ db, query }) =>
  Response.json(await depositTotals(db, query)),
);
