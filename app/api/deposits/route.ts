// Deposit list as JSON for the dashboard (the same query and parameters as the /deposits page).
import { depositListParamsSchema, listDeposits } from "@/lib/deposits/queries";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: depositListParamsSchema }, async ({ db, query }) =>
  Response.json(await listDeposits(db, query)),
);
