import { buyOne, type Handler, type Params, SandboxMethodError, str } from "../method-helpers";

/** SkinsBack's `market_batch_buy`, as the sandbox answers it. */
export const handleMarketBatchBuy: Handler = async (ctx, p) => {
  const raw = p.items;
  const items = (
    Array.isArray(raw) ? raw : raw && typeof raw === "object" ? Object.values(raw) : []
  ) as Params[];
  if (items.length === 0) throw new SandboxMethodError(1, "missing_name_and_id");
  const purchased: Record<string, unknown>[] = [];
  const unavailable: Record<string, unknown>[] = [];
  for (const item of items) {
    try {
      purchased.push(
        await buyOne(ctx, {
          partner: str(p, "partner"),
          token: str(p, "token"),
          id: str(item, "id"),
          max_price: str(item, "max_price"),
          custom_id: str(item, "custom_id"),
        }),
      );
    } catch (error) {
      if (!(error instanceof SandboxMethodError) || error.code <= 3) throw error;
      unavailable.push({ id: str(item, "id") ?? "", reason: error.errorMessage });
    }
  }
  return { purchased, unavailable };
};
