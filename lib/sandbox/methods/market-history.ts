import { type Handler, pageByWindow, pageOf, purchaseObject } from "../method-helpers";
import { sandboxPurchases } from "../schema";

/** SkinsBack's `market_history`, as the sandbox answers it. */
export const handleMarketHistory: Handler = async (ctx, p) => {
  const { rows, total } = await pageByWindow(
    ctx,
    sandboxPurchases,
    { createdAt: sandboxPurchases.createdAt, id: sandboxPurchases.buyId },
    p,
  );
  const page = pageOf(rows, (r) => r.buyId, total);
  return { ...page, items: page.items.map(purchaseObject) };
};
