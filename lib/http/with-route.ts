import "server-only";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/audit-log";
import { OperatorInputError } from "@/lib/auth/operators";
import { hasAllowedOrigin, STATE_CHANGING_METHODS } from "@/lib/auth/origin";
import { roleAllows } from "@/lib/auth/roles";
import { routeAccess } from "@/lib/auth/route-policy";
import { resolveOperator, type SignedInOperator } from "@/lib/auth/session";
import type { AppConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db";
import type { Db } from "@/lib/db/client";
import { getConfig } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { describeError } from "@/lib/http/describe-error";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import { findUnstorableText, isDataException } from "@/lib/http/storable-text";
import { constantTimeEqual } from "@/lib/security/constant-time-equal";

/**
 * The one wrapper every console route handler goes through (after dub's `withWorkspace`): it finds the caller
 * (session cookie, or CONSOLE_API_KEY where the route allows it), checks the role the route policy names, refuses
 * a browser's cross-origin write, validates the query and JSON body with zod, and maps errors to clear JSON
 * answers. Handlers receive a typed context and never repeat these checks.
 */

export type RouteCaller =
  | { kind: "operator"; operator: SignedInOperator }
  | { kind: "api-key" }
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
  db: Db;
  config: AppConfig;
};

/** The only route an operator signed in with a one-time password may use. */
const PASSWORD_ROUTE = "/api/account/password";

/** Bodies of console routes are small forms; anything larger is refused before it is parsed. */
const MAX_BODY_BYTES = 64 * 1024;

export class RouteError extends Error {
  override name = "RouteError";
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const problem = (
  status: number,
  error: string,
  extra: Record<string, unknown> = {},
  headers?: HeadersInit,
) => Response.json({ error, ...extra }, { status, headers });

function bearerToken(headers: Headers): string | null {
  const value = headers.get("authorization");
  if (value) return value.replace(/^Bearer\s+/i, "").trim();
  return headers.get("x-api-key");
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message));
}

export function withRoute<
  BodySchema extends z.ZodType = z.ZodUndefined,
  QuerySchema extends z.ZodType = z.ZodUndefined,
  Params = Record<string, never>,
>(
  options: { body?: BodySchema; query?: QuerySchema },
  handler: (ctx: RouteContext<z.output<BodySchema>, z.output<QuerySchema>, Params>) => Promise<Response>,
) {
  return async (request: Request, segment?: { params?: Promise<Params> }): Promise<Response> => {
    const label = `${request.method} ${new URL(request.url).pathname}`;
    try {
      const config = getConfig();
      const url = new URL(request.url);
      const access = routeAccess(url.pathname, request.method, config.skinsback.mode);
      if (access.kind === "not-found") return problem(404, "not found");

      let caller: RouteCaller = { kind: "anonymous" };
      if (access.kind === "operator") {
        const token = access.apiKey ? bearerToken(request.headers) : null;
        if (token !== null) {
          if (!config.consoleApiKey || !constantTimeEqual(token, config.consoleApiKey)) {
            return problem(
              401,
              "wrong API key",
              { hint: "send Authorization: Bearer <CONSOLE_API_KEY>" },
              {
                "www-authenticate": "Bearer",
              },
            );
          }
          caller = { kind: "api-key" };
        } else {
          const operator = await resolveOperator(request.headers);
          if (!operator) return problem(401, "sign in first", { signIn: "/sign-in" });
          if (STATE_CHANGING_METHODS.has(request.method) && !hasAllowedOrigin(request.headers, config)) {
            return problem(403, "cross-origin request refused");
          }
          if (!roleAllows(operator.role, access.role)) {
            return problem(403, `this needs the ${access.role} role; you are ${operator.role}`);
          }
          if (operator.mustChangePassword && url.pathname !== PASSWORD_ROUTE) {
            return problem(
              403,
              "choose your own password first (the one-time password allows nothing else)",
              {
                changePassword: "/account/password",
              },
            );
          }
          caller = { kind: "operator", operator };
        }
      }

      const query = options.query
        ? options.query.safeParse(Object.fromEntries(url.searchParams))
        : { success: true as const, data: undefined };
      if (!query.success) return problem(400, "invalid query", { issues: issuesOf(query.error) });

      let body: { success: true; data: unknown } | { success: false; error: z.ZodError } = {
        success: true,
        data: undefined,
      };
      if (options.body) {
        const raw = await readLimitedBody(request, MAX_BODY_BYTES);
        if (raw.tooLarge) return problem(413, `the body may be at most ${MAX_BODY_BYTES} bytes`);
        let json: unknown;
        try {
          json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw.bytes) || "null");
        } catch {
          return problem(400, "the body must be JSON (UTF-8)");
        }
        const unstorable = findUnstorableText(json);
        if (unstorable) return problem(400, `${unstorable} holds a NUL or an unpaired surrogate`);
        body = options.body.safeParse(json);
        if (!body.success) return problem(400, "invalid input", { issues: issuesOf(body.error) });
      }

      const actor: AuditActor =
        caller.kind === "operator"
          ? { kind: "operator", id: caller.operator.id, email: caller.operator.email }
          : caller.kind === "api-key"
            ? { kind: "api-key" }
            : { kind: "anonymous" };
      const { db } = await getDatabase();
      return await handler({
        request,
        params: ((await segment?.params) ?? {}) as Params,
        body: body.data as z.output<BodySchema>,
        query: query.data as z.output<QuerySchema>,
        caller,
        actor,
        address: clientAddress(request.headers, config.trustedProxies),
        db,
        config,
      });
    } catch (error) {
      if (error instanceof RouteError) return problem(error.status, error.message, error.extra);
      if (error instanceof OperatorInputError) return problem(409, error.message);
      if (error instanceof z.ZodError) return problem(400, "invalid input", { issues: issuesOf(error) });
      if (isDataException(error)) return problem(400, "a value could not be stored");
      console.error(`[${label}] ${describeError(error)}`);
      return problem(500, "internal error: the server log has the details");
    }
  };
}
