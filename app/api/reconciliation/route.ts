// Reconciliation (viewer): the last runs, the undecided differences per kind, a page of differences.
import { differenceFiltersSchema } from "@/lib/reconciliation/differences";
import { readReconciliation } from "@/lib/reconciliation/overview";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: differenceFiltersSchema }, async ({ db, query }) =>
  Response.json(await readReconciliation(db, query)),
);
