// better-auth's own endpoints, only those the console uses (SERVED_AUTH_ENDPOINTS: sign-in, sign-out); anything
// else under /api/auth answers 404 before the library sees it. Anonymous by the route policy; the library checks
// sessions itself, and its hooks (lib/auth/auth.ts) add the sign-in limits and the audit log. The body is read
// here, at most MAX_SIGN_IN_BODY_BYTES (413 past it), and handed to the library as read.
// Outside withRoute: the auth library answers in its own format and sets the session cookie itself.
import { isServedAuthEndpoint, MAX_SIGN_IN_BODY_BYTES } from "@/lib/auth/auth";
import { getAuth } from "@/lib/auth/session";
import { AppError, appErrorResponse } from "@/lib/errors/app-error";
import { readLimitedBody } from "@/lib/http/read-limited-body";

export const dynamic = "force-dynamic";

const handle = async (request: Request) => {
  if (!isServedAuthEndpoint(request.method, new URL(request.url).pathname)) {
    return appErrorResponse(new AppError("not_found", "not found"));
  }
  if (request.method === "GET") return (await getAuth()).handler(request);
  const body = await readLimitedBody(request, MAX_SIGN_IN_BODY_BYTES);
  if (body.tooLarge) {
    return appErrorResponse(
      new AppError("payload_too_large", `the body may be at most ${MAX_SIGN_IN_BODY_BYTES} bytes`),
    );
  }
  const read = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: body.bytes as BodyInit,
  });
  return (await getAuth()).handler(read);
};

export const GET = handle;
export const POST = handle;
