// Undo a dismissal (operator): the row is open again; audited.
import { undismissFailure, undismissSchema } from "@/lib/failed-notifications/dismiss";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: undismissSchema }, async ({ db, body, by }) => {
  await undismissFailure(db, body, by);
  return Response.json({ dismissed: false });
});
