// A new signing secret (admins), shown in this answer only; the old one signs beside it for 24 hours.
import { rotateSecret } from "@/lib/forwarding/endpoints";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const POST = withRoute<never, never, { id: string }>({}, async ({ db, params, actor, address }) =>
  Response.json(await rotateSecret(db, params.id, { actor, address })),
);
