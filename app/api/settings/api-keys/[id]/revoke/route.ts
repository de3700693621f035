// Revoke an API key (admins): refused on every instance from the next request.
import { revokeApiKey } from "@/lib/auth/api-keys";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { id: string }>({}, async ({ db, params, actor, address }) =>
  Response.json({ key: await revokeApiKey(db, params.id, { actor, address }) }),
);
