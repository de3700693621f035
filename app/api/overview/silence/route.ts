// The silence alarm's state, polled by the banner on every page.

import { readSilence } from "@/lib/deposits/silence";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json(await readSilence(db)));
