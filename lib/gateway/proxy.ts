import { z } from "zod";
import { type AuditActor, callerLabel, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { PROXY_RESULT_URLS_SETTING } from "@/lib/gateway/settings";
import { readSetting } from "@/lib/settings/store";
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

/**
 * What the proxy may send, method by method (README, "Security": the proxy's method table).
 * - `read`: anyone the route lets in (an operator, or an API key with `skinsback:call`).
 * - `create`: creates a deposit; its `result_url` may only be the console's own Result URL or one an admin listed
 *   (`proxy.result-urls`), or whoever calls the proxy would receive the deposit's signed notifications first.
 * - `buy`: spends the SkinsBack balance; `custom_id` is required, so a retried call cannot buy twice.
 * - `approval`: never through the proxy. `offer_approve` hands money to a player before Steam's hold ends; it goes
 *   only through the approval flow (`POST /api/holds/approve`: operator role, caps, risk, once per deposit,
 *   audited), which machine keys cannot reach.
 */
export type ProxyRule = "read" | "create" | "buy" | "approval";

export const PROXY_RULES: Record<MethodName, ProxyRule> = {
  orderstatus: "read",
  orders: "read",
  callback_error_list: "read",
  user_inventory: "read",
  market_pricelist: "read",
  market_search: "read",
  market_getinfo: "read",
  market_history: "read",
  balance: "read",
  currencies: "read",
  status: "read",
  create: "create",
  create_from_user_inventory: "create",
  market_buy: "buy",
  market_batch_buy: "buy",
  offer_approve: "approval",
};

export type ProxyDeps = {
  db: Db;
  gateway: GatewayConfig;
  /** Result URLs a created deposit may name without an admin listing them: the console's own. */
  ownResultUrls: string[];
};

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
  if (!isMethodName(method)) {
    throw new AppError("not_found", `unknown SkinsBack method: ${method.slice(0, 64)}`);
  }
  await checkProxyRule(deps, method, params);
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

/** Refuses, naming the field, what the method's rule does not let through; the call is not sent. */
async function checkProxyRule(deps: ProxyDeps, method: MethodName, params: Record<string, unknown>) {
  const rule = PROXY_RULES[method];
  if (rule === "approval") {
    throw new AppError(
      "forbidden",
      "offer_approve is not sent through the proxy: approve early with POST /api/holds/approve (operator role, caps, risk, once per deposit, audited)",
    );
  }
  if (rule === "read") return;
  // Parameters the method's schema refuses are answered 400 by the client, naming the field, before any rule
  // below: the rules judge well-formed calls only (reads, the most calls, are not parsed here twice).
  if (!METHODS[method].params.safeParse(params).success) return;
  if (rule === "create" && params.result_url !== undefined) {
    const allowed = new Set([
      ...deps.ownResultUrls,
      ...(await readSetting(deps.db, PROXY_RESULT_URLS_SETTING)),
    ]);
    if (typeof params.result_url !== "string" || !allowed.has(params.result_url)) {
      throw new AppError(
        "forbidden",
        "result_url: only the console's own Result URL or one an admin listed",
        {
          details: { issues: ["result_url: not the console's Result URL nor on the admin's list"] },
        },
      );
    }
  }
  if (rule === "buy") {
    const items = method === "market_batch_buy" && Array.isArray(params.items) ? params.items : [params];
    const missing = items.some(
      (item) =>
        typeof item !== "object" ||
        item === null ||
        typeof (item as { custom_id?: unknown }).custom_id !== "string",
    );
    if (missing) {
      throw new AppError("bad_request", "custom_id is required: without it a retried buy buys twice", {
        details: { issues: ["custom_id: required (your withdrawal's id)"] },
      });
    }
  }
}

/** A SkinsBack transaction id as text (ids are strings end to end), or undefined. */
function depositId(value: unknown): string | undefined {
  return isTransactionId(value) ? value : undefined;
}
