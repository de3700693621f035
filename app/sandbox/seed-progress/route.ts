// How far the sandbox's seeded history has reached the console (sandbox mode only); the deposit list shows it.
import { withRoute } from "@/lib/route/with-route";
import { readSeedProgress } from "@/lib/sandbox/seed";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) =>
  Response.json({ progress: (await readSeedProgress(db)) ?? null }),
);
