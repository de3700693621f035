// The exposure board's figures: money released early and not final, clawbacks, top players, caps.
import { readExposure } from "@/lib/holds/exposure";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json(await readExposure(db)));
