import type { SkinsbackMode } from "@/lib/config";
import type { ApiKeyScope } from "@/lib/security/api-key-scopes";
import type { OperatorRole } from "./roles";

/**
 * Who may reach what: the one table every request is decided by. proxy.ts applies it to every request before it
 * reaches a page or route (no session → sign-in or 401; sandbox routes in live mode → 404; a browser's
 * state-changing request from another origin → 403), and the route wrapper (lib/route/with-route.ts) and the page
 * guard (lib/auth/page-guard.ts) check the role it names against the signed-in operator's.
 *
 * Rules are tried in order; the first whose path matches wins. A route not listed needs a viewer to read it
 * (GET, HEAD) and an operator to change anything (POST, PUT, PATCH, DELETE): a new route is closed by default.
 */

export type RouteAccess =
  /** Anyone: SkinsBack's notifications, health checks, sign-in, and the sandbox's stand-ins for SkinsBack. */
  | { kind: "anonymous" }
  /**
   * A signed-in operator with at least `role`; `apiKey`: an API key with this scope (or CONSOLE_API_KEY, which
   * has every scope) as a bearer token is accepted too.
   */
  | { kind: "operator"; role: OperatorRole; apiKey: ApiKeyScope | null }
  /** Does not exist here (the sandbox in live mode). */
  | { kind: "not-found" };

type Rule = {
  /** Exact path, or a prefix when it ends in "/*" (the prefix itself matches too). */
  path: string;
  /** Only in sandbox mode; 404 in live mode. */
  sandboxOnly?: boolean;
  access:
    | "anonymous"
    | OperatorRole
    | { read: OperatorRole; write: OperatorRole; apiKey?: ApiKeyScope }
    | { anyMethod: OperatorRole; apiKey: ApiKeyScope };
};

export const ROUTE_RULES: readonly Rule[] = [
  // SkinsBack's side and the outside world.
  { path: "/api/webhooks/skinsback", access: "anonymous" },
  { path: "/api/health", access: "anonymous" },
  // Prometheus: the route checks CONSOLE_METRICS_TOKEN itself (404 when it is unset).
  { path: "/api/metrics", access: "anonymous" },
  // The app's icon, shown on the sign-in page too.
  { path: "/icon.svg", access: "anonymous" },
  // Benchmarks' do-nothing route: answers 404 unless CONSOLE_BENCH_ROUTES=1.
  { path: "/api/bench/*", access: "anonymous" },
  // Signing in, first run, and the auth library's own endpoints (they check sessions themselves).
  { path: "/sign-in", access: "anonymous" },
  { path: "/setup", access: "anonymous" },
  { path: "/api/setup", access: "anonymous" },
  { path: "/api/auth/*", access: "anonymous" },
  // The sandbox stands for SkinsBack: its API and payment page; and for the merchant's broken Result URL that the
  // simulated SkinsBack posts to (it always answers 500).
  { path: "/sandbox/api.php", sandboxOnly: true, access: "anonymous" },
  { path: "/sandbox/pay/*", sandboxOnly: true, access: "anonymous" },
  { path: "/sandbox/failing-result-url", sandboxOnly: true, access: "anonymous" },
  // The demo receiver stands for the merchant's backend: it checks the forwarded messages' signatures itself.
  { path: "/sandbox/merchant", sandboxOnly: true, access: "anonymous" },
  // The sandbox's controls (switches, seed progress, its page) are the console's.
  { path: "/sandbox/*", sandboxOnly: true, access: { read: "viewer", write: "operator" } },
  // The signed SkinsBack proxy: an operator's session, or an API key for machines.
  { path: "/api/skinsback/*", access: { anyMethod: "operator", apiKey: "skinsback:call" } },
  // The event feed and deposits for a merchant's backend (read only), or any operator.
  { path: "/api/v1/events", access: { read: "viewer", write: "admin", apiKey: "events:read" } },
  { path: "/api/v1/deposits/*", access: { read: "viewer", write: "admin", apiKey: "deposits:read" } },
  // Forwarding: everyone sees it, operators act on messages (resend, recover, test, pause), admins change
  // endpoints and secrets (below, under /api/settings).
  // The CSV export is a read, but audited: a POST (so no link, prefetch or cross-site page can start it) that
  // every role may make.
  { path: "/api/deposits/export", access: { read: "viewer", write: "viewer" } },
  { path: "/api/reconciliation/export", access: { read: "viewer", write: "viewer" } },
  // Every operator manages their own password, whatever their role.
  { path: "/account/*", access: { read: "viewer", write: "viewer" } },
  { path: "/api/account/*", access: { read: "viewer", write: "viewer" } },
  // Admin only: operators, settings, the audit log.
  { path: "/settings/*", access: "admin" },
  { path: "/api/operators/*", access: "admin" },
  { path: "/api/settings/*", access: "admin" },
  { path: "/audit", access: "admin" },
  { path: "/api/audit", access: "admin" },
];

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function matches(rule: Rule, pathname: string): boolean {
  if (!rule.path.endsWith("/*")) return pathname === rule.path;
  const prefix = rule.path.slice(0, -2);
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * The path as the router will see it: percent-escapes decoded, repeated and trailing slashes dropped, so that
 * `/api/%6Fperators` or `/settings//operators/` meet the same rule as the plain spelling. Undecodable → null.
 */
function normalizePathname(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const collapsed = decoded.replace(/\/{2,}/g, "/");
  return collapsed.length > 1 && collapsed.endsWith("/") ? collapsed.slice(0, -1) : collapsed;
}

export function routeAccess(rawPathname: string, method: string, mode: SkinsbackMode): RouteAccess {
  const isRead = READ_METHODS.has(method.toUpperCase());
  const pathname = normalizePathname(rawPathname);
  if (pathname === null) return { kind: "operator", role: "admin", apiKey: null };
  const rule = ROUTE_RULES.find((r) => matches(r, pathname));
  if (!rule) return { kind: "operator", role: isRead ? "viewer" : "operator", apiKey: null };
  if (rule.sandboxOnly && mode !== "sandbox") return { kind: "not-found" };
  const access = rule.access;
  if (access === "anonymous") return { kind: "anonymous" };
  if (typeof access === "string") return { kind: "operator", role: access, apiKey: null };
  if ("anyMethod" in access) return { kind: "operator", role: access.anyMethod, apiKey: access.apiKey };
  // A key's scope is for reading; writes there are the operators'.
  return {
    kind: "operator",
    role: isRead ? access.read : access.write,
    apiKey: isRead ? (access.apiKey ?? null) : null,
  };
}
