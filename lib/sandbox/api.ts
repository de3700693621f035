import { and, eq, gt, sql } from "drizzle-orm";
import { stringify as stringifyLosslessJson } from "lossless-json";
import type { Db } from "@/lib/db/client";
import { STANDARD_ERRORS } from "@/lib/skinsback/methods";
import { verifySignedMessage } from "@/lib/skinsback/signature";
import { parseSignedMessageBody, withExactNumbersAsText } from "@/lib/skinsback/signed-message";
import { HANDLERS, type Params, SandboxMethodError } from "./api-methods";
import type { SandboxContext } from "./engine";
import { sandboxRequests } from "./schema";
import { readSwitches } from "./switches";

/**
 * The sandbox's `api.php`: SkinsBack's wire protocol (POST, JSON or form body, `shopid` + `sign`), its standard
 * errors -1 … -9 answered with HTTP 200 and `status: "error"`, its 500 requests/minute limit, and every method.
 */

export const SANDBOX_RATE_LIMIT = 500;

const answer = (body: Record<string, unknown>) =>
  new Response(stringifyLosslessJson(body) ?? "{}", {
    status: 200,
    headers: { "content-type": "application/json" },
  });

const fail = (code: number, message: string) =>
  answer({ status: "error", error_code: code, error_message: message });

/** One of the errors every method shares, worded as the catalogue words it (lib/skinsback/methods.ts). */
const standardError = (code: number) => fail(code, STANDARD_ERRORS[code] ?? "unknown_error");

export async function handleSandboxApi(
  ctx: SandboxContext,
  request: Request,
  options: { rateLimit?: number; rateWindowMs?: number } = {},
): Promise<Response> {
  if (request.method !== "POST") return standardError(-1);
  // Numbers become their exact text once, here: the signature is computed over that same text.
  let fields: Params;
  try {
    const parsed = parseSignedMessageBody(await request.text(), request.headers.get("content-type"));
    fields = withExactNumbersAsText(parsed.fields) as Params;
  } catch {
    return standardError(-5); // no readable body, so no method
  }
  const method = typeof fields.method === "string" ? fields.method : undefined;
  const shopId = typeof fields.shopid === "string" ? fields.shopid : undefined;

  const limited = await countRequest(
    ctx.db,
    shopId ?? "",
    method,
    options.rateLimit ?? SANDBOX_RATE_LIMIT,
    options.rateWindowMs ?? 60_000,
  );
  const respond = async (code: number, message: string = STANDARD_ERRORS[code] ?? "unknown_error") => {
    await ctx.db.update(sandboxRequests).set({ errorCode: code }).where(eq(sandboxRequests.id, limited.id));
    return fail(code, message);
  };
  if (shopId !== ctx.clientId) return respond(-2);
  if (!verifySignedMessage(fields, ctx.clientSecret).ok) return respond(-3);
  if (limited.over) return respond(-7);
  const switches = await readSwitches(ctx.db);
  if (switches.maintenance && method !== "status") return respond(-9);
  const handler = method && Object.hasOwn(HANDLERS, method) ? HANDLERS[method] : undefined;
  if (!handler) return respond(-5);
  if (method === "status" && switches.maintenance)
    return answer({ status: "success", available: false, reason: "site_off" });
  try {
    return answer({ status: "success", ...(await handler(ctx, fields)) });
  } catch (error) {
    if (error instanceof SandboxMethodError) return respond(error.code, error.errorMessage);
    throw error;
  }
}

/**
 * Records the request and says whether the shop is over SkinsBack's limit — `limit` requests per rolling window,
 * this one included (500 a minute; tests shorten the window).
 */
async function countRequest(
  db: Db,
  shopId: string,
  method: string | undefined,
  limit: number,
  windowMs: number,
) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sandbox-rate:${shopId}`}))`);
    const [row] = await tx
      .insert(sandboxRequests)
      .values({ shopId, method: method?.slice(0, 64) })
      .returning({ id: sandboxRequests.id });
    const [count] = await tx
      .select({ n: sql<string>`count(*)` })
      .from(sandboxRequests)
      .where(
        and(
          eq(sandboxRequests.shopId, shopId),
          gt(sandboxRequests.receivedAt, sql`clock_timestamp() - make_interval(secs => ${windowMs / 1000})`),
          sql`coalesce(${sandboxRequests.errorCode}, 0) <> -7`,
        ),
      );
    return { id: row?.id as number, over: Number(count?.n ?? 0) > limit };
  });
}

// --- helpers -------------------------------------------------------------------------------------------------
