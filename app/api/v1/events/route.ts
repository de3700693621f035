// The event feed: every applied deposit change in order, for a backend that pulls (lib/forwarding/feed.ts).
import { feedQuerySchema, readFeed } from "@/lib/forwarding/feed";
import { withRoute } from "@/lib/route/with-route";

export const dynamic = "force-dynamic";

export const GET = withRoute({ query: feedQuerySchema }, async ({ db, query }) =>
  Response.json(await readFeed(db, query), { headers: { "cache-control": "no-store" } }),
);
