// The silence alarm's state, polled by the banner on every page.
import { withRoute } from "@/lib/http/with-route";
import { readSilence } from "@/lib/overview/silence";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json(await readSilence(db)));
