// Every endpoint with its health (success rate, p50 latency, backlog, oldest waiting, last error).
import { endpointHealth } from "@/lib/forwarding/queries";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json({ endpoints: await endpointHealth(db) }));
