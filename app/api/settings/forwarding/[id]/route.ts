// One forwarding endpoint (admins): change its URL, format, event types, network rule, concurrency.
import { endpointPatchSchema, updateEndpoint } from "@/lib/forwarding/endpoints";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const PATCH = withRoute<typeof endpointPatchSchema, never, { id: string }>(
  { body: endpointPatchSchema },
  async ({ db, config, body, params, actor, address }) =>
    Response.json({ endpoint: await updateEndpoint(db, config, params.id, body, { actor, address }) }),
);
