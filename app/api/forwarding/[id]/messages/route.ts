// An endpoint's message log (filters, keyset pages), newest first.
import { listMessages, messageFiltersSchema } from "@/lib/forwarding/queries";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute<never, typeof messageFiltersSchema, { id: string }>(
  { query: messageFiltersSchema },
  async ({ db, query, params }) => Response.json(await listMessages(db, params.id, query)),
);
