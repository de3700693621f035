// Alert incidents (viewer): open, acknowledged or resolved, newest first, each with its history.
import { incidentFiltersSchema, incidentHistory, listIncidents } from "@/lib/alerts/incident-list";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: incidentFiltersSchema }, async ({ db, query }) => {
  const { incidents, nextCursor } = await listIncidents(db, query);
  const history = await incidentHistory(
    db,
    incidents.map((i) => i.id),
  );
  return Response.json({
    incidents: incidents.map((i) => ({ ...i, history: history.get(i.id) ?? [] })),
    nextCursor,
  });
});
