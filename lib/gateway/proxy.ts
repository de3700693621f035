import { z } from "zod";
import { type AuditActor, callerLabel, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { isMethodName, METHODS, type MethodName } from "@/lib/skinsback/methods";
import { isTransactionId } from "@/lib/skinsback/transaction-id";
import { type GatewayConfig, skinsbackGateway } from "./skinsback-gateway";

/**
 * POST /api/skinsback/[method]: the signed proxy. The caller sends plain JSON parameters; we validate them for the
 * method, sign and send server-side (the secret never leaves this process). Every outcome is a JSON answer with
 * a fitting status: a SkinsBack failure is an AppError that carries its own (lib/skinsback/errors.ts).
 */

/** Parameters of any method fit in a few hundred bytes (a batch buy of 100 ids in a few KB). */
export const MAX_PROXY_BODY_BYTES = 32 * 1024;

/** Every method of the catalogue; the route refuses anything else with 404 before touching SkinsBack. */
export const PROXY_METHODS = new Set<MethodName>(Object.keys(METHODS) as MethodName[]);

export type ProxyDeps = { db: Db; gateway: GatewayConfig };

/** Who is calling: authenticated by the route wrapper (an operator's session or CONSOLE_API_KEY). */
export type ProxyCaller = { actor: AuditActor; address: string | null };

/** The proxy's body: one JSON object of the method's parameters (an empty body is no parameters). */
export const proxyParamsSchema = z
  .record(z.string(), z.unknown(), { error: "the body must be a JSON object of parameters" })
  .default({});

/**
 * Validates, signs, sends and records one call. Its parameters were read by the route wrapper (size, UTF-8, NUL,
 * prototype keys); every failure is thrown as the AppError that answers it (a SkinsBack error knows its own).
 */
export async function callProxy(
  deps: ProxyDeps,
  method: string,
  params: Record<string, unknown>,
  caller: ProxyCaller,
): Promise<Response> {
  if (!isMethodName(method) || !PROXY_METHODS.has(method)) {
    throw new AppError("not_found", `unknown SkinsBack method: ${method.slice(0, 64)}`);
  }
  const client = skinsbackGateway(deps.db, deps.gateway, callerLabel(caller.actor));
  // Writes (they create deposits or move money) are audited with their outcome; reads are in api_calls only.
  // The deposit the call concerns: named in the parameters, or created by it (create answers its transaction_id).
  const audit = (outcome: "ok" | "failed", detail: Record<string, unknown>, created?: unknown) =>
    METHODS[method].kind === "write"
      ? recordAudit(deps.db, {
          actor: caller.actor,
          action: "proxy.call",
          outcome,
          target: { type: "skinsback-method", id: method },
          address: caller.address,
          transactionId: depositId(created) ?? depositId(params.transaction_id),
          detail,
        })
      : Promise.resolve();
  try {
    const result = await client.call(method, params as never);
    await audit("ok", {}, (result as { transaction_id?: unknown } | null)?.transaction_id);
    return Response.json({ ok: true, result });
  } catch (error) {
    const status = error instanceof AppError ? error.status : 500;
    await audit("failed", { status, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** A SkinsBack transaction id as text (ids are strings end to end), or undefined. */
function depositId(value: unknown): string | undefined {
  return isTransactionId(value) ? value : undefined;
}
