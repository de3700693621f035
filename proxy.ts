import { type NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE_NAMES } from "@/lib/auth/auth-cookies";
import { hasAllowedOrigin, STATE_CHANGING_METHODS } from "@/lib/auth/origin";
import { REQUEST_PATH_HEADER } from "@/lib/auth/request-path";
import { routeAccess } from "@/lib/auth/route-policy";
import type { AppConfig } from "@/lib/config";
import { getConfig } from "@/lib/env";
import { AppError, appErrorResponse } from "@/lib/errors/app-error";
import { findUnreadableSearchParam } from "@/lib/http/search-params";
import {
  contentSecurityPolicy,
  NONCE_HEADER,
  newNonce,
  responseSecurityHeaders,
} from "@/lib/security/headers";

/**
 * The first gate of every request (Next.js proxy, Node.js runtime), applying lib/auth/route-policy.ts without
 * touching the database:
 * - a sandbox route in live mode → 404;
 * - a route that needs an operator, with no session cookie (and no API key where one is accepted) → a page is
 *   redirected to sign-in and back, anything else answers 401;
 * - a state-changing request carrying a session cookie (or signing in / setting up) whose Origin is missing,
 *   `null` or foreign → 403;
 * - a query parameter holding a NUL (or a name like `__proto__`) → 400 naming it.
 * Every answer gets the security headers (lib/security/headers.ts): a Content Security Policy with a fresh nonce,
 * no framing, no sniffing, HSTS on https.
 * Whether the cookie's session is real, live and of the right role is checked behind this gate by the route
 * wrapper (lib/route/with-route.ts) and the page guard (lib/auth/page-guard.ts), from the same policy.
 */
export function proxy(request: NextRequest): NextResponse | Response {
  const config = getConfig();
  const nonce = newNonce();
  const https = config.appOrigin.startsWith("https://");
  const policy = contentSecurityPolicy(nonce, { dev: config.nodeEnv === "development", https });
  const response = gate(request, config, nonce, policy);
  for (const [name, value] of responseSecurityHeaders(policy, https)) response.headers.set(name, value);
  return response;
}

function gate(
  request: NextRequest,
  config: AppConfig,
  nonce: string,
  policy: string,
): NextResponse | Response {
  const { pathname, search } = request.nextUrl;
  const method = request.method.toUpperCase();
  const access = routeAccess(pathname, method, config.skinsback.mode);
  if (access.kind === "not-found") {
    return appErrorResponse(new AppError("not_found", "not found"));
  }
  // One place for every page and route behind the gate: a parameter no query can hold is a 400 naming it.
  const unreadable = findUnreadableSearchParam(request.nextUrl.searchParams);
  if (unreadable) return appErrorResponse(new AppError("bad_request", unreadable));

  const hasSession = SESSION_COOKIE_NAMES.some((name) => request.cookies.has(name));
  const hasBearer = request.headers.has("authorization") || request.headers.has("x-api-key");
  const browserWrite =
    STATE_CHANGING_METHODS.has(method) &&
    ((access.kind === "operator" && hasSession && !hasBearer) ||
      pathname.startsWith("/api/auth/") ||
      pathname === "/api/setup");
  if (browserWrite && !hasAllowedOrigin(request.headers, config)) {
    return appErrorResponse(new AppError("forbidden", "cross-origin request refused"));
  }

  if (access.kind === "operator" && !hasSession && !(access.apiKey && hasBearer)) {
    const wantsPage =
      (method === "GET" || method === "HEAD") &&
      !pathname.startsWith("/api/") &&
      (request.headers.has("rsc") || (request.headers.get("accept") ?? "").includes("text/html"));
    if (wantsPage) {
      const signIn = new URL("/sign-in", request.url);
      signIn.searchParams.set("next", `${pathname}${search}`);
      return NextResponse.redirect(signIn);
    }
    return appErrorResponse(
      new AppError("unauthorized", "sign in first", { details: { signIn: "/sign-in" } }),
    );
  }

  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, `${pathname}${search}`);
  // Next.js takes the nonce for its own scripts from the request's policy; the root layout reads NONCE_HEADER.
  headers.set(NONCE_HEADER, nonce);
  headers.set("Content-Security-Policy", policy);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything but the build's static files and the anonymous machine routes on the hot path: SkinsBack's
  // notifications, health checks and the benchmarks' ceiling route are public by the policy, so the gate has
  // nothing to decide there — and Next's proxy layer costs about a third of the receiver's throughput
  // (bench/RESULTS.md). lib/auth/route-policy.test.ts holds this list to the policy.
  matcher: [
    "/((?!_next/static|_next/image|favicon.ico|icon.svg|api/webhooks/skinsback|api/health|api/bench/).*)",
  ],
};
