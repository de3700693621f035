CREATE TABLE "deposit_daily_totals" (
	"day" date NOT NULL,
	"status" "deposit_status" NOT NULL,
	"currency" text NOT NULL,
	"deposits" bigint NOT NULL,
	"amount" numeric NOT NULL,
	CONSTRAINT "deposit_daily_totals_day_status_currency_pk" PRIMARY KEY("day","status","currency")
);
--> statement-breakpoint
DROP INDEX "api_calls_called_at_idx";--> statement-breakpoint
DROP INDEX "audit_events_at_idx";--> statement-breakpoint
DROP INDEX "audit_events_actor_idx";--> statement-breakpoint
DROP INDEX "audit_events_action_idx";--> statement-breakpoint
DROP INDEX "deposits_created_at_idx";--> statement-breakpoint
DROP INDEX "deposits_status_created_at_idx";--> statement-breakpoint
DROP INDEX "skinsback_failures_last_seen_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_received_at_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_outcome_idx";--> statement-breakpoint
CREATE INDEX "deposits_amount_idx" ON "deposits" USING btree ((coalesce("amount", 0)) DESC,"transaction_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "deposits_flagged_idx" ON "deposits" USING btree ("created_at" DESC NULLS FIRST,"transaction_id" DESC NULLS FIRST) WHERE "deposits"."anomaly" is not null;--> statement-breakpoint
CREATE INDEX "api_calls_called_at_idx" ON "api_calls" USING btree ("called_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_id","id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_events_action_idx" ON "audit_events" USING btree ("action","id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "deposits_created_at_idx" ON "deposits" USING btree ("created_at" DESC NULLS FIRST,"transaction_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "deposits_status_created_at_idx" ON "deposits" USING btree ("status","created_at" DESC NULLS FIRST,"transaction_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "skinsback_failures_last_seen_idx" ON "skinsback_failures" USING btree ("last_seen_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries" USING btree ("received_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_outcome_idx" ON "webhook_deliveries" USING btree ("outcome","id" DESC NULLS FIRST);--> statement-breakpoint
-- deposit_daily_totals follows every change of a deposit's (day, status, currency, amount) in the writing
-- transaction. A move subtracts the deposit from its old bucket and adds it to the new one; the two upserts run
-- in key order so two transactions moving deposits between the same buckets cannot deadlock.
CREATE FUNCTION deposit_daily_totals_add(p_day date, p_status deposit_status, p_currency text, p_deposits bigint, p_amount numeric)
RETURNS void LANGUAGE sql AS $$
  INSERT INTO deposit_daily_totals AS t (day, status, currency, deposits, amount)
  VALUES (p_day, p_status, coalesce(p_currency, ''), p_deposits, coalesce(p_amount, 0))
  ON CONFLICT (day, status, currency) DO UPDATE
    SET deposits = t.deposits + EXCLUDED.deposits, amount = t.amount + EXCLUDED.amount;
$$;
--> statement-breakpoint
CREATE FUNCTION deposit_daily_totals_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_old_day date;
  v_new_day date;
  v_old_key text;
  v_new_key text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM deposit_daily_totals_add((NEW.created_at AT TIME ZONE 'UTC')::date, NEW.status, NEW.amount_currency, 1, NEW.amount);
    RETURN NULL;
  END IF;
  v_old_day := (OLD.created_at AT TIME ZONE 'UTC')::date;
  IF TG_OP = 'DELETE' THEN
    PERFORM deposit_daily_totals_add(v_old_day, OLD.status, OLD.amount_currency, -1, -coalesce(OLD.amount, 0));
    RETURN NULL;
  END IF;
  v_new_day := (NEW.created_at AT TIME ZONE 'UTC')::date;
  v_old_key := concat_ws('|', v_old_day, OLD.status, coalesce(OLD.amount_currency, ''));
  v_new_key := concat_ws('|', v_new_day, NEW.status, coalesce(NEW.amount_currency, ''));
  IF v_old_key = v_new_key AND OLD.amount IS NOT DISTINCT FROM NEW.amount THEN
    RETURN NULL;
  END IF;
  IF v_old_key <= v_new_key THEN
    PERFORM deposit_daily_totals_add(v_old_day, OLD.status, OLD.amount_currency, -1, -coalesce(OLD.amount, 0));
    PERFORM deposit_daily_totals_add(v_new_day, NEW.status, NEW.amount_currency, 1, NEW.amount);
  ELSE
    PERFORM deposit_daily_totals_add(v_new_day, NEW.status, NEW.amount_currency, 1, NEW.amount);
    PERFORM deposit_daily_totals_add(v_old_day, OLD.status, OLD.amount_currency, -1, -coalesce(OLD.amount, 0));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER deposit_daily_totals_track
AFTER INSERT OR DELETE OR UPDATE OF status, amount, amount_currency, created_at ON deposits
FOR EACH ROW EXECUTE FUNCTION deposit_daily_totals_track();
--> statement-breakpoint
CREATE FUNCTION deposit_daily_totals_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM deposit_daily_totals;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER deposit_daily_totals_clear AFTER TRUNCATE ON deposits
FOR EACH STATEMENT EXECUTE FUNCTION deposit_daily_totals_clear();
--> statement-breakpoint
-- Recomputed from the deposits table: the backfill below, and after a bulk load that disabled the trigger
-- (npm run db:seed:large).
CREATE FUNCTION deposit_daily_totals_rebuild() RETURNS void LANGUAGE sql AS $$
  DELETE FROM deposit_daily_totals;
  INSERT INTO deposit_daily_totals (day, status, currency, deposits, amount)
  SELECT (created_at AT TIME ZONE 'UTC')::date, status, coalesce(amount_currency, ''), count(*), coalesce(sum(amount), 0)
  FROM deposits GROUP BY 1, 2, 3;
$$;
--> statement-breakpoint
SELECT deposit_daily_totals_rebuild();
