// Send a test message to a channel before it is saved (admin); the outcome in words. Audited.
import { testChannel, testChannelSchema } from "@/lib/alerts/channel-store";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: testChannelSchema }, async ({ db, body, by, config }) =>
  Response.json(await testChannel(db, body, by, config)),
);
