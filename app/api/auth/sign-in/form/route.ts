// POST /api/auth/sign-in/form: the sign-in page's form, posted natively (no JavaScript needed, so Enter works the
// moment the page shows). It signs in through the same library call as the JSON endpoint — the same throttling,
// audit and disabled-operator check (lib/auth/auth.ts hooks) — then answers 303: to the safe `next` with the
// session cookie, or back to the sign-in page with an error code (never the server's text: a URL must not be a
// way to put words on the page).
// Outside withRoute: a native form post, answered with redirects rather than JSON.
import { isAPIError } from "better-auth/api";
import { MAX_SIGN_IN_BODY_BYTES } from "@/lib/auth/auth";
import { safeNextPath } from "@/lib/auth/safe-next";
import { getAuth } from "@/lib/auth/session";
import { signInProblemCode } from "@/lib/auth/sign-in-problems";
import { AppError, appErrorResponse } from "@/lib/errors/app-error";
import { readLimitedBody } from "@/lib/http/read-limited-body";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  const body = await readLimitedBody(request, MAX_SIGN_IN_BODY_BYTES);
  if (body.tooLarge) {
    return appErrorResponse(
      new AppError("payload_too_large", `the body may be at most ${MAX_SIGN_IN_BODY_BYTES} bytes`),
    );
  }
  const form = new URLSearchParams(new TextDecoder().decode(body.bytes));
  const next = safeNextPath(form.get("next") ?? "/");
  const auth = await getAuth();
  // The library answers most refusals as a Response, but a refusal thrown by a hook (the sign-in limit) as an
  // APIError: both end as the same redirect.
  const answer = await auth.api
    .signInEmail({
      body: { email: form.get("email") ?? "", password: form.get("password") ?? "", rememberMe: true },
      headers: request.headers,
      asResponse: true,
    })
    .catch((error: unknown) => {
      if (!isAPIError(error)) throw error;
      return new Response(null, { status: error.statusCode, headers: new Headers(error.headers) });
    });
  // Locations are paths: the browser resolves them against the page it is on, whatever host the server saw.
  if (answer.ok) {
    const headers = new Headers({ location: next });
    for (const cookie of answer.headers.getSetCookie()) headers.append("set-cookie", cookie);
    return new Response(null, { status: 303, headers });
  }
  const problem = signInProblemCode(answer.status, Number(answer.headers.get("retry-after")));
  const back = new URLSearchParams();
  if (next !== "/") back.set("next", next);
  back.set("error", problem.code);
  if (problem.retryAfterSeconds) back.set("retry", String(problem.retryAfterSeconds));
  return new Response(null, { status: 303, headers: { location: `/sign-in?${back}` } });
}
