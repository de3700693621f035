// better-auth's own endpoints (sign-in, sign-out, session): anonymous by the route policy; the library checks
// sessions itself, and its hooks (lib/auth/auth.ts) add the sign-in limits and the audit log.
import { getAuth } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const handle = async (request: Request) => (await getAuth()).handler(request);

export const GET = handle;
export const POST = handle;
