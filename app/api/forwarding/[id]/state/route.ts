// Pause an endpoint (its messages wait) or enable it (they go out in order); operators.
import { z } from "zod";
import { setEndpointState } from "@/lib/forwarding/endpoints";
import { wakeForwarder } from "@/lib/forwarding/forwarding-loop";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

const stateSchema = z.strictObject({ state: z.enum(["enabled", "paused"]) });

export const POST = withRoute<typeof stateSchema, never, { id: string }>(
  { body: stateSchema },
  async ({ db, body, params, actor, address }) => {
    const endpoint = await setEndpointState(db, params.id, body.state, { actor, address });
    wakeForwarder();
    return Response.json({ endpoint });
  },
);
