import { sql } from "drizzle-orm";
import { deposits } from "@/lib/db/schema";

/**
 * A deposit's money in USD, for caps and comparisons across currencies: its amount when it is in USD, else
 * SkinsBack's own conversion (`amount_in_currencies.usd`: unsigned, validated as a number at ingest); null when
 * neither is known. The one definition the queue, the caps and the exposure board share.
 */
export const depositUsd = sql<
  string | null
>`coalesce(case when ${deposits.amountCurrency} = 'usd' then ${deposits.amount} end, (${deposits.amountInCurrencies} ->> 'usd')::numeric)`;
