import { gameOf, type Handler, SandboxMethodError, str } from "../method-helpers";
import { CATALOGUE, hashSeed } from "../world";

/** SkinsBack's `market_pricelist`, as the sandbox answers it. */
export const handleMarketPricelist: Handler = async (_ctx, p) => {
  const game = gameOf(str(p, "game"));
  if (!game) throw new SandboxMethodError(1, "invalid_game");
  const items = CATALOGUE.filter((i) => i.game === game);
  const full = str(p, "full") === "1";
  return {
    last_update: Math.floor(Date.now() / 60_000) * 60,
    items: full
      ? items.map((i) => ({ id: i.id, name: i.name, price: i.price, classid: i.classid }))
      : items.map((i) => ({
          name: i.name,
          price: i.price,
          classid: i.classid,
          count: 1 + (hashSeed(i.name) % 40),
        })),
  };
};
