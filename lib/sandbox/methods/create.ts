import { eq } from "drizzle-orm";
import { createDeposit } from "../engine";
import {
  allowedResultUrl,
  type Handler,
  SandboxMethodError,
  str,
  validSteamId,
  validToken,
} from "../method-helpers";
import { sandboxDeposits } from "../schema";
import { CURRENCY_RATES, drawScenario, hashSeed, rng } from "../world";

/** SkinsBack's `create`, as the sandbox answers it. */
export const handleCreate: Handler = async (ctx, p) => {
  const orderId = str(p, "order_id");
  if (!orderId || orderId.length > 255) throw new SandboxMethodError(1, "invalid_order_id");
  const steamId = str(p, "steam_id");
  if (steamId !== undefined && !validSteamId(steamId)) throw new SandboxMethodError(2, "invalid_steam_id");
  const tradeToken = str(p, "trade_token");
  if (tradeToken !== undefined && !validToken(tradeToken))
    throw new SandboxMethodError(3, "invalid_trade_token");
  const currency = str(p, "currency");
  if ((str(p, "min_amount") || str(p, "max_amount")) && !currency)
    throw new SandboxMethodError(4, "min_amount_requires_currency");
  if (currency && !CURRENCY_RATES[currency]) throw new SandboxMethodError(8, "invalid_currency");
  const [existing] = await ctx.db
    .select({ id: sandboxDeposits.transactionId })
    .from(sandboxDeposits)
    .where(eq(sandboxDeposits.orderId, orderId));
  if (existing) throw new SandboxMethodError(5, "order_id_already_exists");
  const random = rng(hashSeed(orderId));
  const deposit = await createDeposit(
    ctx,
    {
      orderId,
      steamId:
        steamId ?? `7656119${String(8_000_000_000 + Math.floor(random() * 999_999_999)).padStart(10, "0")}`,
      currency: currency ?? "usd",
      scenario: drawScenario(random, { historyApprovals: false }),
      createdAt: new Date(),
      resultUrl: allowedResultUrl(ctx, str(p, "result_url")),
    },
    random,
  );
  return {
    url: `${ctx.publicOrigin}/sandbox/pay/${deposit.transactionId}`,
    transaction_id: deposit.transactionId,
  };
};
