import { eq } from "drizzle-orm";
import { addDecimal, compareDecimal, multiplyDecimal, roundDecimal } from "@/lib/money/decimal";
import { createDeposit, PROJECT_MULTIPLIER } from "../engine";
import {
  allowedResultUrl,
  gameOf,
  type Handler,
  SandboxMethodError,
  str,
  strings,
  validSteamId,
  validToken,
} from "../method-helpers";
import { sandboxDeposits } from "../schema";
import { drawScenario, fromUsd, hashSeed, rng, userInventory } from "../world";

/** SkinsBack's `create_from_user_inventory`, as the sandbox answers it. */
export const handleCreateFromUserInventory: Handler = async (ctx, p) => {
  const game = gameOf(str(p, "game"));
  if (!game) throw new SandboxMethodError(1, "invalid_game");
  const steamId = str(p, "steam_id");
  if (!validSteamId(steamId)) throw new SandboxMethodError(2, "invalid_steam_id");
  if (!validToken(str(p, "trade_token"))) throw new SandboxMethodError(3, "invalid_trade_token");
  const orderId = str(p, "order_id");
  if (!orderId) throw new SandboxMethodError(8, "invalid_order_id");
  const currency = str(p, "currency") ?? "usd";
  const wanted = new Set(strings(p, "item_asset_ids") ?? []);
  const items = userInventory(game, steamId as string, currency, PROJECT_MULTIPLIER).filter(
    (i) => wanted.has(i.asset_id) && i.tradable && !i.disabled,
  );
  if (items.length === 0) throw new SandboxMethodError(4, "items_not_found");
  // SkinsBack writes money with two decimals.
  const sumUsd = roundDecimal(items.reduce((sum, i) => addDecimal(sum, i.price), "0"));
  if (compareDecimal(sumUsd, "0.50") < 0) throw new SandboxMethodError(5, "deposit_amount_less_minimum");
  const [existing] = await ctx.db
    .select({ id: sandboxDeposits.transactionId })
    .from(sandboxDeposits)
    .where(eq(sandboxDeposits.orderId, orderId));
  if (existing) throw new SandboxMethodError(7, "order_id_already_exists");
  const random = rng(hashSeed(orderId));
  const scenario = drawScenario(random, { historyApprovals: false });
  const deposit = await createDeposit(
    ctx,
    {
      orderId,
      steamId: steamId as string,
      currency,
      scenario: { ...scenario, game, holdFlow: game === "cs2" && scenario.holdFlow },
      createdAt: new Date(),
      amountUsd: sumUsd,
      resultUrl: allowedResultUrl(ctx, str(p, "result_url")),
    },
    random,
  );
  const local = fromUsd(sumUsd, currency);
  return {
    data: {
      transaction_id: deposit.transactionId,
      sum: sumUsd,
      local_sum: local,
      local_sum_multiplied: multiplyDecimal(local, PROJECT_MULTIPLIER),
      local_currency: currency,
      trade_offer_id: String(7_000_000_000 + deposit.transactionId),
      trade_offer_expiry_at: new Date(Date.now() + 600_000).toISOString().replace("Z", "000Z"),
      bot_steam_id: "76561199000000123",
      bot_name: "SkinsBack Sandbox Bot #3",
    },
  };
};
