// Delete an alert channel (admin); its unsent messages go with it, incidents keep their history. Audited.
import { deleteChannel, deleteChannelSchema } from "@/lib/alerts/channel-store";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute({ body: deleteChannelSchema }, async ({ db, body, by }) => {
  await deleteChannel(db, body.id, by);
  return Response.json({ deleted: true });
});
