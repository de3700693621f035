// A decision on a difference (operator): acknowledged, resolved, ignored or reopened, with a note; audited.
import { decideDifference, decideDifferenceSchema } from "@/lib/reconciliation/differences";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: decideDifferenceSchema }, async ({ db, body, by }) => {
  const row = await decideDifference(db, body, by);
  return Response.json({ id: row.id, state: row.state });
});
