import { sql } from "drizzle-orm";
import { deposits } from "@/lib/db/schema";

/**
 * A deposit's money in USD, two ways, one SQL function each:
 * - `signedUsd` (`signed_usd`, drizzle/0022): the signed `amount` converted with SkinsBack's rate as the console
 *   read it (lib/holds/rates.ts). Caps, exposure and every decision use this one.
 * - `depositUsd` (`deposit_usd`, drizzle/0018): the amount when in USD, else the notification's own
 *   `amount_in_currencies.usd`, which SkinsBack's `sign` does not cover. Only the risk rollups' player figures,
 *   shown as unsigned, still read it.
 */
export const signedUsd = sql<string | null>`signed_usd(${deposits.amountCurrency}, ${deposits.amount})`;

export const depositUsd = sql<
  string | null
>`deposit_usd(${deposits.amountCurrency}, ${deposits.amount}, ${deposits.amountInCurrencies})`;
