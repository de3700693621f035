// Turn an alert channel on or off, or rename it (admin). Audited.
import { updateChannel, updateChannelSchema } from "@/lib/alerts/channel-store";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: updateChannelSchema }, async ({ db, body, by }) =>
  Response.json(await updateChannel(db, body, by)),
);
