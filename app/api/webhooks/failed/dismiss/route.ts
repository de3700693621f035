// Dismiss one failed row with a reason (operator): resolved as dismissed, audited, undoable.
import { dismissFailure, dismissSchema } from "@/lib/failed-notifications/dismiss";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: dismissSchema }, async ({ db, body, by }) => {
  await dismissFailure(db, body, by);
  return Response.json({ dismissed: true });
});
