// Retry now: every waiting message of one endpoint is due at once (its backend is back); operators, audited.
import { retryWaitingNow } from "@/lib/forwarding/actions";
import { wakeForwarder } from "@/lib/forwarding/forwarding-loop";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { id: string }>({}, async ({ db, params, actor, address }) => {
  const retried = await retryWaitingNow(db, params.id, { actor, address });
  wakeForwarder();
  return Response.json(retried);
});
