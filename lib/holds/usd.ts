import { sql } from "drizzle-orm";
import { deposits } from "@/lib/db/schema";

/**
 * A deposit's money in USD, for caps and comparisons across currencies: its amount when it is in USD, else
 * SkinsBack's own conversion (`amount_in_currencies.usd`, unsigned); null when neither is known. The rule is one
 * SQL function, `deposit_usd` (drizzle/0018), which the risk rollups' trigger uses too.
 */
export const depositUsd = sql<
  string | null
>`deposit_usd(${deposits.amountCurrency}, ${deposits.amount}, ${deposits.amountInCurrencies})`;
