import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { readLimitedBody } from "@/lib/http/read-limited-body";
import {
  RateBudgetExhaustedError,
  SkinsBackApiError,
  SkinsBackNetworkError,
  SkinsBackOutcomeUnknownError,
  SkinsBackParamsError,
  SkinsBackResponseError,
} from "@/lib/skinsback/errors";
import { isMethodName, METHODS, type MethodName } from "@/lib/skinsback/methods";
import { type GatewayConfig, skinsbackGateway } from "./skinsback-gateway";

/**
 * POST /api/skinsback/[method]: the signed proxy. The caller sends plain JSON parameters; we validate them for the
 * method, sign and send server-side (the secret never leaves this process), and map every outcome to a clear
 * JSON answer with a fitting HTTP status.
 */

/** Parameters of any method fit in a few hundred bytes (a batch buy of 100 ids in a few KB). */
export const MAX_PROXY_BODY_BYTES = 32 * 1024;

/** Every method of the catalogue; the route refuses anything else with 404 before touching SkinsBack. */
export const PROXY_METHODS = new Set<MethodName>(Object.keys(METHODS) as MethodName[]);

export type ProxyDeps = { db: Db; gateway: GatewayConfig };

/** Who is calling: authenticated by the route wrapper (an operator's session or CONSOLE_API_KEY). */
export type ProxyCaller = { actor: AuditActor; address: string | null };

type ErrorBody = { error: string; code?: number; hint?: string; [key: string]: unknown };
const problem = (status: number, body: ErrorBody, headers?: Record<string, string>) =>
  Response.json(body, { status, headers });

const callerName = (actor: AuditActor) => (actor.kind === "operator" ? `operator:${actor.id}` : actor.kind);

export async function handleProxyRequest(
  deps: ProxyDeps,
  method: string,
  request: Request,
  caller: ProxyCaller,
): Promise<Response> {
  if (!isMethodName(method) || !PROXY_METHODS.has(method)) {
    return problem(404, { error: `unknown SkinsBack method: ${method.slice(0, 64)}` });
  }
  const body = await readLimitedBody(request, MAX_PROXY_BODY_BYTES);
  if (body.tooLarge) {
    return problem(413, {
      error: `the body is ${body.totalBytes} bytes; parameters may be at most ${MAX_PROXY_BODY_BYTES} bytes`,
    });
  }
  let params: unknown = {};
  const text = new TextDecoder().decode(body.bytes);
  if (text.trim() !== "") {
    try {
      params = JSON.parse(text);
    } catch {
      return problem(400, { error: "the body must be a JSON object of parameters" });
    }
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    return problem(400, { error: "the body must be a JSON object of parameters" });
  }

  const client = skinsbackGateway(deps.db, deps.gateway, callerName(caller.actor));
  // Writes (they create deposits or move money) are audited with their outcome; reads are in api_calls only.
  // The deposit the call concerns: named in the parameters, or created by it (create answers its transaction_id).
  const named = (params as { transaction_id?: unknown }).transaction_id;
  const audit = (outcome: "ok" | "failed", detail: Record<string, unknown>, created?: unknown) =>
    METHODS[method].kind === "write"
      ? recordAudit(deps.db, {
          actor: caller.actor,
          action: "proxy.call",
          outcome,
          target: { type: "skinsback-method", id: method },
          address: caller.address,
          transactionId: depositId(created) ?? depositId(named),
          detail,
        })
      : Promise.resolve();
  try {
    const result = await client.call(method, params as never);
    await audit("ok", {}, (result as { transaction_id?: unknown } | null)?.transaction_id);
    return Response.json({ ok: true, result });
  } catch (error) {
    const response = errorResponse(error);
    await audit("failed", { status: response.status, error: (error as Error).message });
    return response;
  }
}

/** A SkinsBack transaction id as text (ids are strings end to end), or undefined. */
function depositId(value: unknown): string | undefined {
  return typeof value === "string" && /^\d{1,20}$/.test(value) ? value : undefined;
}

export function errorResponse(error: unknown): Response {
  if (error instanceof SkinsBackParamsError)
    return problem(400, { error: error.message, issues: error.issues });
  if (error instanceof RateBudgetExhaustedError) {
    return problem(
      429,
      { error: error.message, retryAfterSeconds: error.retryAfterSeconds },
      { "retry-after": String(error.retryAfterSeconds) },
    );
  }
  if (error instanceof SkinsBackApiError) {
    const body = { error: error.message, code: error.code, errorMessage: error.errorMessage };
    switch (error.code) {
      case -7:
        return problem(
          429,
          {
            ...body,
            hint: "SkinsBack's 500 requests/minute limit was reached; the project is blocked for a while",
          },
          { "retry-after": "60" },
        );
      case -9:
        return problem(
          503,
          { ...body, hint: "SkinsBack is under maintenance; try again later" },
          { "retry-after": "60" },
        );
      case -8:
        return problem(502, {
          ...body,
          hint: "register this server's public IP address in the SkinsBack merchant panel",
        });
      case -2:
      case -3:
      case -10:
        return problem(502, {
          ...body,
          hint: "check SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET against the merchant panel",
        });
      case -4:
        return problem(502, { ...body, hint: "the SkinsBack project is not active" });
      case -6:
        return problem(502, { ...body, hint: "skins withdrawal (market) is disabled for this project" });
      default:
        // Method-specific refusals (unknown deposit, insufficient funds…): the request was understood and declined.
        return problem(error.code > 0 ? 422 : 502, body);
    }
  }
  if (error instanceof SkinsBackOutcomeUnknownError)
    return problem(502, { error: error.message, existing: error.existing });
  if (error instanceof SkinsBackNetworkError)
    return problem(504, { error: error.message, hint: "SkinsBack did not answer" });
  if (error instanceof SkinsBackResponseError) return problem(502, { error: error.message });
  console.error(`[proxy] unexpected error: ${(error as Error).message}`);
  return problem(500, { error: "internal error" });
}
