import { buyOne, gameOf, type Handler, str } from "../method-helpers";

/** SkinsBack's `market_buy`, as the sandbox answers it. */
export const handleMarketBuy: Handler = async (ctx, p) => {
  return buyOne(ctx, {
    partner: str(p, "partner"),
    token: str(p, "token"),
    id: str(p, "id"),
    name: str(p, "name"),
    game: gameOf(str(p, "game")),
    max_price: str(p, "max_price"),
    custom_id: str(p, "custom_id"),
  });
};
