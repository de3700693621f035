CREATE TABLE "hold_totals" (
	"kind" text NOT NULL,
	"day" text NOT NULL,
	"currency" text NOT NULL,
	"deposits" integer NOT NULL,
	"amount" numeric NOT NULL,
	"usd" numeric NOT NULL,
	CONSTRAINT "hold_totals_kind_day_currency_pk" PRIMARY KEY("kind","day","currency"),
	CONSTRAINT "hold_totals_kind_check" CHECK ("hold_totals"."kind" in ('until_final', 'clawback'))
);
--> statement-breakpoint
CREATE TABLE "player_totals" (
	"steam_id" text PRIMARY KEY NOT NULL,
	"deposits" integer NOT NULL,
	"successes" integer NOT NULL,
	"returned" integer NOT NULL,
	"exposed_deposits" integer NOT NULL,
	"exposed_amounts" jsonb NOT NULL,
	"exposed_usd" numeric NOT NULL
);
--> statement-breakpoint
CREATE INDEX "player_totals_exposed_idx" ON "player_totals" USING btree ("exposed_usd" DESC NULLS FIRST,"steam_id") WHERE "player_totals"."exposed_deposits" <> 0;--> statement-breakpoint
-- A deposit's money in USD: its amount when it is in USD, else SkinsBack's own conversion
-- (`amount_in_currencies.usd`); null when neither is known or the figure is not a number (a trigger must never
-- fail an ingest over a figure it only sums). The one definition: lib/holds/usd.ts calls it too.
CREATE FUNCTION deposit_usd(p_currency text, p_amount numeric, p_in_currencies jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(
    CASE WHEN p_currency = 'usd' THEN p_amount END,
    CASE WHEN (p_in_currencies ->> 'usd') ~ '^-?[0-9]{1,20}(\.[0-9]{1,20})?$' THEN (p_in_currencies ->> 'usd')::numeric END)
$$;
--> statement-breakpoint
CREATE FUNCTION player_totals_add(p_steam_id text, p_currency text, p_deposits int, p_successes int, p_returned int,
                                  p_exposed int, p_amount numeric, p_usd numeric)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO player_totals AS t (steam_id, deposits, successes, returned, exposed_deposits, exposed_amounts, exposed_usd)
  VALUES (p_steam_id, p_deposits, p_successes, p_returned, p_exposed,
          CASE WHEN p_amount <> 0 THEN jsonb_build_object(coalesce(p_currency, ''), p_amount::text) ELSE '{}'::jsonb END,
          p_usd)
  ON CONFLICT (steam_id) DO UPDATE
    SET deposits = t.deposits + EXCLUDED.deposits, successes = t.successes + EXCLUDED.successes,
        returned = t.returned + EXCLUDED.returned, exposed_deposits = t.exposed_deposits + EXCLUDED.exposed_deposits,
        exposed_amounts = CASE WHEN p_amount = 0 THEN t.exposed_amounts ELSE jsonb_set(t.exposed_amounts,
          ARRAY[coalesce(p_currency, '')],
          to_jsonb((coalesce((t.exposed_amounts ->> coalesce(p_currency, ''))::numeric, 0) + p_amount)::text)) END,
        exposed_usd = t.exposed_usd + EXCLUDED.exposed_usd;
$$;
--> statement-breakpoint
CREATE FUNCTION hold_totals_add(p_kind text, p_day text, p_currency text, p_deposits int, p_amount numeric, p_usd numeric)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO hold_totals AS t (kind, day, currency, deposits, amount, usd)
  VALUES (p_kind, p_day, coalesce(p_currency, ''), p_deposits, p_amount, p_usd)
  ON CONFLICT (kind, day, currency) DO UPDATE
    SET deposits = t.deposits + EXCLUDED.deposits, amount = t.amount + EXCLUDED.amount, usd = t.usd + EXCLUDED.usd;
$$;
--> statement-breakpoint
-- Where a deposit counts on the exposure board: (kind, day) or null.
CREATE FUNCTION deposit_hold_bucket(p_status deposit_status, p_in_hold_until timestamptz, p_status_changed_at timestamptz)
RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE p_status
    WHEN 'hold_approved' THEN ARRAY['until_final', coalesce(to_char(p_in_hold_until AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'unknown')]
    WHEN 'hold_returned' THEN ARRAY['clawback', to_char(p_status_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')]
  END
$$;
--> statement-breakpoint
-- Both rollups follow every change of a deposit in the writing transaction. A move subtracts the old row's share
-- and adds the new one's, in key order (two transactions moving deposits between the same keys cannot deadlock);
-- an update that stays on its keys is one upsert of the differences, none when nothing counted changed.
CREATE FUNCTION deposit_holds_and_players_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o_player text; n_player text; o_hold text[]; n_hold text[];
  o_exposed int := 0; n_exposed int := 0; o_amount numeric := 0; n_amount numeric := 0; o_usd numeric := 0; n_usd numeric := 0;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    o_player := OLD.steam_id;
    o_hold := deposit_hold_bucket(OLD.status, OLD.in_hold_until, OLD.status_changed_at);
    o_hold := CASE WHEN o_hold IS NOT NULL THEN o_hold || coalesce(OLD.amount_currency, '') END;
    o_usd := coalesce(deposit_usd(OLD.amount_currency, OLD.amount, OLD.amount_in_currencies), 0);
    o_amount := coalesce(OLD.amount, 0);
    o_exposed := (OLD.status = 'hold_approved')::int;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    n_player := NEW.steam_id;
    n_hold := deposit_hold_bucket(NEW.status, NEW.in_hold_until, NEW.status_changed_at);
    n_hold := CASE WHEN n_hold IS NOT NULL THEN n_hold || coalesce(NEW.amount_currency, '') END;
    n_usd := coalesce(deposit_usd(NEW.amount_currency, NEW.amount, NEW.amount_in_currencies), 0);
    n_amount := coalesce(NEW.amount, 0);
    n_exposed := (NEW.status = 'hold_approved')::int;
  END IF;

  IF o_player IS NOT NULL AND o_player = n_player THEN
    IF coalesce(OLD.amount_currency, '') = coalesce(NEW.amount_currency, '') THEN
      IF OLD.status IS DISTINCT FROM NEW.status OR o_amount <> n_amount OR o_usd <> n_usd THEN
        PERFORM player_totals_add(NEW.steam_id, NEW.amount_currency, 0,
          (NEW.status = 'success')::int - (OLD.status = 'success')::int,
          (NEW.status = 'hold_returned')::int - (OLD.status = 'hold_returned')::int,
          n_exposed - o_exposed, n_exposed * n_amount - o_exposed * o_amount, n_exposed * n_usd - o_exposed * o_usd);
      END IF;
    ELSE
      -- The same player's row, its money moving from one currency to another.
      PERFORM player_totals_add(OLD.steam_id, OLD.amount_currency, 0,
        (NEW.status = 'success')::int - (OLD.status = 'success')::int,
        (NEW.status = 'hold_returned')::int - (OLD.status = 'hold_returned')::int,
        -o_exposed, -o_exposed * o_amount, -o_exposed * o_usd);
      PERFORM player_totals_add(NEW.steam_id, NEW.amount_currency, 0, 0, 0, n_exposed, n_exposed * n_amount, n_exposed * n_usd);
    END IF;
  ELSE
    IF o_player IS NOT NULL AND (n_player IS NULL OR o_player <= n_player) THEN
      PERFORM player_totals_add(OLD.steam_id, OLD.amount_currency, -1, -(OLD.status = 'success')::int,
        -(OLD.status = 'hold_returned')::int, -o_exposed, -o_exposed * o_amount, -o_exposed * o_usd);
    END IF;
    IF n_player IS NOT NULL THEN
      PERFORM player_totals_add(NEW.steam_id, NEW.amount_currency, 1, (NEW.status = 'success')::int,
        (NEW.status = 'hold_returned')::int, n_exposed, n_exposed * n_amount, n_exposed * n_usd);
    END IF;
    IF o_player IS NOT NULL AND n_player IS NOT NULL AND o_player > n_player THEN
      PERFORM player_totals_add(OLD.steam_id, OLD.amount_currency, -1, -(OLD.status = 'success')::int,
        -(OLD.status = 'hold_returned')::int, -o_exposed, -o_exposed * o_amount, -o_exposed * o_usd);
    END IF;
  END IF;

  -- A hold key is (kind, day, currency).
  IF o_hold IS NOT NULL AND o_hold = n_hold THEN
    IF o_amount <> n_amount OR o_usd <> n_usd THEN
      PERFORM hold_totals_add(n_hold[1], n_hold[2], n_hold[3], 0, n_amount - o_amount, n_usd - o_usd);
    END IF;
  ELSE
    IF o_hold IS NOT NULL AND (n_hold IS NULL OR o_hold <= n_hold) THEN
      PERFORM hold_totals_add(o_hold[1], o_hold[2], o_hold[3], -1, -o_amount, -o_usd);
    END IF;
    IF n_hold IS NOT NULL THEN
      PERFORM hold_totals_add(n_hold[1], n_hold[2], n_hold[3], 1, n_amount, n_usd);
    END IF;
    IF o_hold IS NOT NULL AND n_hold IS NOT NULL AND o_hold > n_hold THEN
      PERFORM hold_totals_add(o_hold[1], o_hold[2], o_hold[3], -1, -o_amount, -o_usd);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER deposits_holds_and_players_track
  AFTER INSERT OR DELETE ON deposits
  FOR EACH ROW EXECUTE FUNCTION deposit_holds_and_players_track();
--> statement-breakpoint
CREATE TRIGGER deposits_holds_and_players_track_update
  AFTER UPDATE ON deposits
  FOR EACH ROW
  WHEN ((OLD.status, OLD.amount, OLD.amount_currency, OLD.steam_id, OLD.in_hold_until, OLD.status_changed_at, OLD.amount_in_currencies)
        IS DISTINCT FROM
        (NEW.status, NEW.amount, NEW.amount_currency, NEW.steam_id, NEW.in_hold_until, NEW.status_changed_at, NEW.amount_in_currencies))
  EXECUTE FUNCTION deposit_holds_and_players_track();
--> statement-breakpoint
-- Recounts both from the deposits (this migration's backfill; the large seed loads with the triggers off).
CREATE FUNCTION deposit_holds_and_players_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM player_totals;
  INSERT INTO player_totals (steam_id, deposits, successes, returned, exposed_deposits, exposed_amounts, exposed_usd)
  SELECT steam_id, sum(n), sum(successes), sum(returned), sum(exposed),
         coalesce(jsonb_object_agg(cur, amount::text) FILTER (WHERE amount <> 0), '{}'::jsonb), sum(usd)
    FROM (SELECT steam_id, coalesce(amount_currency, '') AS cur, count(*) AS n,
                 count(*) FILTER (WHERE status = 'success') AS successes,
                 count(*) FILTER (WHERE status = 'hold_returned') AS returned,
                 count(*) FILTER (WHERE status = 'hold_approved') AS exposed,
                 coalesce(sum(coalesce(amount, 0)) FILTER (WHERE status = 'hold_approved'), 0) AS amount,
                 coalesce(sum(deposit_usd(amount_currency, amount, amount_in_currencies)) FILTER (WHERE status = 'hold_approved'), 0) AS usd
            FROM deposits WHERE steam_id IS NOT NULL GROUP BY 1, 2) per_currency
   GROUP BY 1;
  DELETE FROM hold_totals;
  INSERT INTO hold_totals (kind, day, currency, deposits, amount, usd)
  SELECT b[1], b[2], cur, count(*), sum(amt), sum(usd)
    FROM (SELECT deposit_hold_bucket(status, in_hold_until, status_changed_at) AS b, coalesce(amount_currency, '') AS cur,
                 coalesce(amount, 0) AS amt, coalesce(deposit_usd(amount_currency, amount, amount_in_currencies), 0) AS usd
            FROM deposits WHERE status IN ('hold_approved', 'hold_returned')) x
   GROUP BY 1, 2, 3;
$$;
--> statement-breakpoint
SELECT deposit_holds_and_players_rebuild();
--> statement-breakpoint
ANALYZE player_totals;
--> statement-breakpoint
ANALYZE hold_totals;
