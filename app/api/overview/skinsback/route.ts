// SkinsBack's status and the project balance, through the signed client, cached briefly per instance.

import { readSkinsbackHealth } from "@/lib/overview/skinsback-health";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db, config }) =>
  Response.json(await readSkinsbackHealth(db, config)),
);
