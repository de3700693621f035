import "server-only";
import type { z } from "zod";
import type { AuditActor } from "@/lib/audit/audit-log";
import { actorName } from "@/lib/audit/audit-log";
import { type VerifiedApiKey, verifyApiKey } from "@/lib/auth/api-keys";
import { hasAllowedOrigin, STATE_CHANGING_METHODS } from "@/lib/auth/origin";
import { roleAllows } from "@/lib/auth/roles";
import { routeAccess } from "@/lib/auth/route-policy";
import { resolveOperator, type SignedInOperator } from "@/lib/auth/session";
import type { AppConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { clientAddress } from "@/lib/http/client-address";
import { constantTimeEqual } from "@/lib/security/constant-time-equal";
import { answerError } from "./answer-error";
import { MAX_ROUTE_BODY_BYTES, readJsonInput, readQueryInput } from "./request-input";

/**
 * The one wrapper every console route handler goes through (after dub's `withWorkspace`): it finds the caller
 * (session cookie, or CONSOLE_API_KEY where the route allows it), checks the role the route policy names, refuses
 * a browser's cross-origin write, validates the query and JSON body with zod, and turns every error into its
 * answer in one place (answer-error.ts). Handlers receive a typed context, never repeat these checks, and
 * report a failure by throwing an AppError.
 */

export type RouteCaller =
  | { kind: "operator"; operator: SignedInOperator }
  /** `key`: one made at /settings/api-keys; absent: the bootstrap CONSOLE_API_KEY. */
  | { kind: "api-key"; key?: VerifiedApiKey }
  | { kind: "anonymous" };

export type RouteContext<Body, Query, Params> = {
  request: Request;
  params: Params;
  body: Body;
  query: Query;
  caller: RouteCaller;
  /** The caller as the audit log names it. */
  actor: AuditActor;
  address: string | null;
  /** Who acts, as domain functions take it: the actor, a label for people (an email) and the address. */
  by: { actor: AuditActor; label: string; address: string | null };
  db: Db;
  config: AppConfig;
};

/** The only route an operator signed in with a one-time password may use. */
const PASSWORD_ROUTE = "/api/account/password";

function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (value) return value.replace(/^Bearer\s+/i, "").trim();
  return headers.get("x-api-key");
}

export function withRoute<
  BodySchema extends z.ZodType = z.ZodUndefined,
  QuerySchema extends z.ZodType = z.ZodUndefined,
  Params = Record<string, never>,
>(
  options: { body?: BodySchema; query?: QuerySchema; maxBodyBytes?: number },
  handler: (ctx: RouteContext<z.output<BodySchema>, z.output<QuerySchema>, Params>) => Promise<Response>,
) {
  return async (request: Request, segment?: { params?: Promise<Params> }): Promise<Response> => {
    const url = new URL(request.url);
    try {
      const config = getConfig();
      const address = clientAddress(request.headers, config.trustedProxies);
      const caller = await authenticate(request, url, config, address);
      const query = readQueryInput(url.searchParams, options.query);
      const body = options.body
        ? await readJsonInput(request, options.body, options.maxBodyBytes ?? MAX_ROUTE_BODY_BYTES)
        : undefined;
      const actor: AuditActor =
        caller.kind === "operator"
          ? { kind: "operator", id: caller.operator.id, email: caller.operator.email }
          : caller.kind === "api-key"
            ? { kind: "api-key", id: caller.key?.id, name: caller.key?.name }
            : { kind: "anonymous" };
      const { db } = await getDatabase();
      return await handler({
        request,
        params: ((await segment?.params) ?? {}) as Params,
        body: body as z.output<BodySchema>,
        query: query as z.output<QuerySchema>,
        caller,
        actor,
        address,
        by: { actor, label: actorName(actor), address },
        db,
        config,
      });
    } catch (error) {
      return answerError(error, `${request.method} ${url.pathname}`);
    }
  };
}

/** Who is calling, by the route policy: throws the AppError that refuses them. */
async function authenticate(
  request: Request,
  url: URL,
  config: AppConfig,
  address: string | null,
): Promise<RouteCaller> {
  const access = routeAccess(url.pathname, request.method, config.skinsback.mode);
  if (access.kind === "not-found") throw new AppError("not_found", "not found");
  if (access.kind !== "operator") return { kind: "anonymous" };
  const token = access.apiKey ? bearerToken(request.headers) : null;
  if (token !== null && access.apiKey) {
    // The bootstrap key has every scope.
    if (config.consoleApiKey && constantTimeEqual(token, config.consoleApiKey)) return { kind: "api-key" };
    const key = await verifyApiKey((await getDatabase()).db, token, address);
    if (!key) {
      throw new AppError("unauthorized", "unknown or revoked API key", {
        details: { hint: "send Authorization: Bearer <an API key from /settings/api-keys>" },
        headers: { "www-authenticate": "Bearer" },
      });
    }
    if (!key.scopes.includes(access.apiKey)) {
      throw new AppError("forbidden", `this API key lacks the ${access.apiKey} scope`);
    }
    return { kind: "api-key", key };
  }
  const operator = await resolveOperator(request.headers);
  if (!operator) throw new AppError("unauthorized", "sign in first", { details: { signIn: "/sign-in" } });
  if (STATE_CHANGING_METHODS.has(request.method) && !hasAllowedOrigin(request.headers, config)) {
    throw new AppError("forbidden", "cross-origin request refused");
  }
  if (!roleAllows(operator.role, access.role)) {
    throw new AppError("forbidden", `this needs the ${access.role} role; you are ${operator.role}`);
  }
  if (operator.mustChangePassword && url.pathname !== PASSWORD_ROUTE) {
    throw new AppError(
      "forbidden",
      "choose your own password first (the one-time password allows nothing else)",
      {
        details: { changePassword: "/account/password" },
      },
    );
  }
  return { kind: "operator", operator };
}
