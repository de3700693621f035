import type { AppConfig } from "@/lib/config";

/**
 * Cross-site request forgery defence for cookie sessions: a state-changing request must carry an `Origin` that
 * is the console's own — APP_ORIGIN, or the origin the request was addressed to (so http://localhost:3000 works in
 * development next to APP_ORIGIN's 127.0.0.1). A page on another site cannot forge its `Origin`; a missing or
 * `null` one (sandboxed frames, some redirects) is refused too. Machine clients authenticate with a bearer token,
 * not a cookie, and are not subject to this check.
 */
export function allowedOrigins(
  headers: Headers,
  config: Pick<AppConfig, "appOrigin" | "trustedProxies">,
): string[] {
  const origins = [config.appOrigin];
  const host = headers.get("host");
  if (host) {
    const forwardedProto =
      config.trustedProxies > 0 ? headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : "";
    const protocol = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : "http";
    origins.push(`${protocol}://${host}`);
  }
  return origins;
}

export function hasAllowedOrigin(
  headers: Headers,
  config: Pick<AppConfig, "appOrigin" | "trustedProxies">,
): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  return allowedOrigins(headers, config).includes(origin);
}

export const STATE_CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
