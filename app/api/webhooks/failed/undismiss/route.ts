// Undo a dismissal (operator): the row is open again; audited.
import { undismissFailure, undismissSchema } from "@/lib/failed-notifications/dismiss";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: undismissSchema }, async ({ db, body, caller, actor, address }) => {
  const label = caller.kind === "operator" ? caller.operator.email : caller.kind;
  await undismissFailure(db, body, { actor, label, address });
  return Response.json({ dismissed: false });
});
