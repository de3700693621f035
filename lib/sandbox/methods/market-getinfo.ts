import { eq, inArray } from "drizzle-orm";
import { type Handler, purchaseObject, SandboxMethodError, str, strings } from "../method-helpers";
import { sandboxPurchases } from "../schema";

/** SkinsBack's `market_getinfo`, as the sandbox answers it. */
export const handleMarketGetinfo: Handler = async (ctx, p) => {
  const buyId = str(p, "buy_id");
  const buyIds = strings(p, "buy_ids");
  const customIds = strings(p, "custom_ids");
  if (buyId) {
    const [row] = await ctx.db
      .select()
      .from(sandboxPurchases)
      .where(eq(sandboxPurchases.buyId, Number(buyId)));
    if (!row) throw new SandboxMethodError(2, "offer_not_found");
    return purchaseObject(row);
  }
  if (!buyIds && !customIds) throw new SandboxMethodError(1, "missing_buy_id");
  const rows = await ctx.db
    .select()
    .from(sandboxPurchases)
    .where(
      buyIds
        ? inArray(sandboxPurchases.buyId, buyIds.map(Number).filter(Number.isSafeInteger))
        : inArray(sandboxPurchases.customId, customIds as string[]),
    );
  return { items: rows.map(purchaseObject) };
};
