// A new alert channel (admin). A generated signing secret is in this answer and never again. Audited.
import { createChannel, createChannelSchema } from "@/lib/alerts/channel-store";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: createChannelSchema }, async ({ db, body, by, config }) =>
  Response.json(await createChannel(db, body, by, config), { status: 201 }),
);
