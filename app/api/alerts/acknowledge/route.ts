// Acknowledge an incident (operator): no more reminders; the resolution is still sent. Audited.
import { acknowledgeIncident, acknowledgeSchema } from "@/lib/alerts/incident-list";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: acknowledgeSchema }, async ({ db, body, by }) => {
  const incident = await acknowledgeIncident(db, body, by);
  return Response.json({ id: incident.id, state: incident.state, acknowledgedBy: incident.acknowledgedBy });
});
