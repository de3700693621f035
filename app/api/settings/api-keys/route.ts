// API keys (admins): list, and create one — the key is in this answer and never again.
import { apiKeyInputSchema, createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json({ keys: await listApiKeys(db) }));

export const POST = withRoute({ body: apiKeyInputSchema }, async ({ db, body, actor, address }) =>
  Response.json(await createApiKey(db, body, { actor, address }), { status: 201 }),
);
