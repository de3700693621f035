import { asc, gt, sql } from "drizzle-orm";
import { type Handler, PAGE_SIZE, pageOf, str } from "../method-helpers";
import { sandboxCallbackErrors } from "../schema";

/** SkinsBack's `callback_error_list`, as the sandbox answers it. */
export const handleCallbackErrorList: Handler = async (ctx, p) => {
  const after = Number(str(p, "start_from") ?? 0) || 0;
  const rows = await ctx.db
    .select()
    .from(sandboxCallbackErrors)
    .where(gt(sandboxCallbackErrors.id, after))
    .orderBy(asc(sandboxCallbackErrors.id))
    .limit(PAGE_SIZE + 1);
  const [total] = await ctx.db
    .select({ n: sql<string>`count(*)` })
    .from(sandboxCallbackErrors)
    .where(gt(sandboxCallbackErrors.id, after));
  const page = pageOf(rows, (r) => r.id, Number(total?.n ?? 0));
  return {
    ...page,
    items: page.items.map((r) => ({
      transaction_id: r.transactionId,
      order_id: r.orderId,
      http_code: r.httpCode,
    })),
  };
};
