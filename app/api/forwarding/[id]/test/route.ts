// Send a test event to one endpoint; operators.
import { sendTestEvent } from "@/lib/forwarding/actions";
import { wakeForwarder } from "@/lib/forwarding/forwarding-loop";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { id: string }>({}, async ({ db, params, actor, address }) => {
  const sent = await sendTestEvent(db, params.id, { actor, address });
  wakeForwarder();
  return Response.json(sent, { status: 202 });
});
