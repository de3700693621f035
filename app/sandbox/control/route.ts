// Sandbox switches (faults, live traffic) for tests and demos; sandbox mode only (lib/auth/route-policy.ts).
import { withRoute } from "@/lib/route/with-route";
import { readSwitches, sandboxSwitchesPatchSchema, updateSwitches } from "@/lib/sandbox/switches";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json(await readSwitches(db)));

export const POST = withRoute({ body: sandboxSwitchesPatchSchema }, async ({ db, body }) =>
  Response.json(await updateSwitches(db, body)),
);
