// Sandbox switches (faults, live traffic) for tests and demos; sandbox mode only (lib/auth/route-policy.ts).
import { withRoute } from "@/lib/route/with-route";
import { changeSwitches, readSwitches, sandboxSwitchesPatchSchema } from "@/lib/sandbox/switches";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) => Response.json(await readSwitches(db)));

// An operator's act like any other: in the audit log with what changed.
export const POST = withRoute({ body: sandboxSwitchesPatchSchema }, async ({ db, body, actor, address }) =>
  Response.json(await changeSwitches(db, body, { actor, address })),
);
