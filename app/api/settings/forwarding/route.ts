// Forwarding endpoints (admins): list, and create one — its signing secret is in this answer and never again.
import { createEndpoint, endpointInputSchema, endpointView, listEndpoints } from "@/lib/forwarding/endpoints";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) =>
  Response.json({ endpoints: (await listEndpoints(db)).map((e) => endpointView(e)) }),
);

export const POST = withRoute({ body: endpointInputSchema }, async ({ db, config, body, actor, address }) =>
  Response.json(await createEndpoint(db, config, body, { actor, address }), { status: 201 }),
);
