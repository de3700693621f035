import { PROJECT_MULTIPLIER } from "../engine";
import { gameOf, type Handler, SandboxMethodError, str, validSteamId, validToken } from "../method-helpers";
import { userInventory } from "../world";

/** SkinsBack's `user_inventory`, as the sandbox answers it. */
export const handleUserInventory: Handler = async (_ctx, p) => {
  const game = gameOf(str(p, "game"));
  if (!game) throw new SandboxMethodError(1, "invalid_game");
  if (!validSteamId(str(p, "steam_id"))) throw new SandboxMethodError(2, "invalid_steam_id");
  if (!validToken(str(p, "trade_token"))) throw new SandboxMethodError(3, "invalid_trade_token");
  const currency = str(p, "currency") ?? "usd";
  const items = userInventory(
    game,
    str(p, "steam_id") as string,
    currency,
    str(p, "custom_multiplier") ?? PROJECT_MULTIPLIER,
  );
  return { data: { items, currency_local: currency } };
};
