CREATE TABLE "currency_rates" (
	"code" text PRIMARY KEY NOT NULL,
	"rate" numeric NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	CONSTRAINT "currency_rates_rate_check" CHECK ("currency_rates"."rate" > 0)
);
--> statement-breakpoint
ALTER TABLE "hold_approvals" ADD COLUMN "usd" numeric;--> statement-breakpoint
ALTER TABLE "hold_approvals" ADD COLUMN "rates_at" timestamp with time zone;--> statement-breakpoint
-- A deposit's signed amount in USD: the amount itself in USD, else the amount divided by SkinsBack's rate as the
-- console read it (currency_rates); null when no rate is known. Currency codes are compared in lower case.
CREATE FUNCTION signed_usd(p_currency text, p_amount numeric) RETURNS numeric
LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN p_amount IS NULL OR p_currency IS NULL THEN NULL
    WHEN lower(p_currency) = 'usd' THEN p_amount
    ELSE round(p_amount / (SELECT rate FROM currency_rates WHERE code = lower(p_currency)), 2)
  END
$$;
--> statement-breakpoint
-- 'USD' is 'usd': the currency code is compared in lower case (it was compared as sent).
CREATE OR REPLACE FUNCTION deposit_usd(p_currency text, p_amount numeric, p_in_currencies jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(
    CASE WHEN lower(p_currency) = 'usd' THEN p_amount END,
    CASE WHEN (p_in_currencies ->> 'usd') ~ '^-?[0-9]{1,20}(\.[0-9]{1,20})?$' THEN (p_in_currencies ->> 'usd')::numeric END)
$$;
--> statement-breakpoint
-- The rollups summed deposit_usd as it was; where an upper-case currency code could make it differ, rebuild them.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM deposits WHERE amount_currency <> lower(amount_currency) LIMIT 1) THEN
    PERFORM deposit_holds_and_players_rebuild();
  END IF;
END $$;
