// better-auth's own endpoints, only those the console uses (SERVED_AUTH_ENDPOINTS: sign-in, sign-out); anything
// else under /api/auth answers 404 before the library sees it. Anonymous by the route policy; the library checks
// sessions itself, and its hooks (lib/auth/auth.ts) add the sign-in limits and the audit log.
import { isServedAuthEndpoint } from "@/lib/auth/auth";
import { getAuth } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const handle = async (request: Request) => {
  if (!isServedAuthEndpoint(request.method, new URL(request.url).pathname)) {
    return Response.json({ error: "not found" }, { status: 404 });
  }
  return (await getAuth()).handler(request);
};

export const GET = handle;
export const POST = handle;
