ALTER TABLE "webhook_deliveries" ADD COLUMN "sign" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "identical_to_delivery_id" bigint;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_signed_copies_idx" ON "webhook_deliveries" USING btree ("transaction_id","sign") WHERE "webhook_deliveries"."identical_to_delivery_id" is null and "webhook_deliveries"."sign" is not null;--> statement-breakpoint
-- ingest_observation (first in 0003), now recording the notification's `sign` and storing a signed body's
-- copies beyond the third per deposit without their body and payload (lib/deposits/apply-observation.ts).
CREATE OR REPLACE FUNCTION ingest_observation(
  p_transaction_id text,
  p_incoming deposit_status,
  p_deposit jsonb,
  p_outcomes jsonb,
  p_source event_source,
  p_payload jsonb,
  p_delivery jsonb,
  p_raw_body bytea,
  p_lock_timeout_ms integer
) RETURNS TABLE (outcome event_outcome, previous_status deposit_status, event_id bigint, delivery_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_now timestamptz := now();
  v_new deposits%ROWTYPE;
  v_cur deposits%ROWTYPE;
  v_outcome event_outcome := 'applied';
  v_previous deposit_status;
  v_note text;
  v_diffs text[] := '{}';
  v_delivery_id bigint;
  v_event_id bigint;
  v_sign text := lower(p_delivery ->> 'sign');
  v_first_copy bigint;
  v_kept integer := 0;
  v_payload jsonb := p_payload;
  v_raw_body bytea := p_raw_body;
BEGIN
  PERFORM set_config('lock_timeout', p_lock_timeout_ms || 'ms', true);
  -- Absent keys are NULL here and mean "not stated": an update keeps what earlier notifications said.
  v_new := jsonb_populate_record(NULL::deposits, p_deposit);

  INSERT INTO deposits (
    transaction_id, order_id, steam_id, status, amount, amount_currency, amount_in_currencies, user_amount,
    user_amount_in_currencies, custom_currency, custom_currency_rate, custom_currency_sum, created_at,
    offer_created_at, in_hold_until, skins_sent_at, trade_offer_id, fail_reason, user_risk,
    first_seen_at, status_changed_at, updated_at
  ) VALUES (
    p_transaction_id, v_new.order_id, v_new.steam_id, p_incoming, v_new.amount, v_new.amount_currency,
    v_new.amount_in_currencies, v_new.user_amount, v_new.user_amount_in_currencies, v_new.custom_currency,
    v_new.custom_currency_rate, v_new.custom_currency_sum, coalesce(v_new.created_at, v_now),
    v_new.offer_created_at, v_new.in_hold_until, v_new.skins_sent_at, v_new.trade_offer_id, v_new.fail_reason,
    v_new.user_risk, v_now, v_now, v_now
  ) ON CONFLICT (transaction_id) DO NOTHING;

  IF NOT FOUND THEN
    -- Observations of one deposit are judged one at a time against its committed status.
    SELECT * INTO v_cur FROM deposits d WHERE d.transaction_id = p_transaction_id FOR UPDATE;
    v_previous := v_cur.status;
    v_outcome := (p_outcomes ->> v_cur.status::text)::event_outcome;

    -- Money a notification states must be the money the deposit has (numeric comparison: 243 = 243.00).
    IF v_new.amount IS NOT NULL AND v_cur.amount IS NOT NULL AND v_new.amount <> v_cur.amount THEN
      v_diffs := v_diffs || format('amount %s → %s', v_cur.amount, p_deposit ->> 'amount');
    END IF;
    IF v_new.amount_currency IS NOT NULL AND v_cur.amount_currency IS NOT NULL
       AND v_new.amount_currency <> v_cur.amount_currency THEN
      v_diffs := v_diffs || format('currency %s → %s', v_cur.amount_currency, v_new.amount_currency);
    END IF;
    IF v_new.user_amount IS NOT NULL AND v_cur.user_amount IS NOT NULL AND v_new.user_amount <> v_cur.user_amount THEN
      v_diffs := v_diffs || format('user amount %s → %s', v_cur.user_amount, p_deposit ->> 'user_amount');
    END IF;

    IF v_outcome = 'duplicate' AND cardinality(v_diffs) > 0 THEN
      v_outcome := 'conflict';
      v_note := format('repeated %s with different money: %s', p_incoming, array_to_string(v_diffs, ', '));
    ELSIF v_outcome = 'conflict' THEN
      v_note := format('received %s while the deposit is %s; status kept', p_incoming, v_cur.status);
    ELSIF v_outcome = 'applied' AND cardinality(v_diffs) > 0 THEN
      -- A later status with other money is applied (it is signed) but flagged for an operator.
      v_note := format('money changed from %s to %s: %s', v_cur.status, p_incoming, array_to_string(v_diffs, ', '));
    END IF;

    IF v_outcome = 'applied' THEN
      -- Guarded by the status locked above: a no-op if anything had moved it, which the lock rules out.
      UPDATE deposits SET
        order_id = coalesce(v_new.order_id, order_id),
        steam_id = coalesce(v_new.steam_id, steam_id),
        status = p_incoming,
        amount = coalesce(v_new.amount, amount),
        amount_currency = coalesce(v_new.amount_currency, amount_currency),
        amount_in_currencies = coalesce(v_new.amount_in_currencies, amount_in_currencies),
        user_amount = coalesce(v_new.user_amount, user_amount),
        user_amount_in_currencies = coalesce(v_new.user_amount_in_currencies, user_amount_in_currencies),
        custom_currency = coalesce(v_new.custom_currency, custom_currency),
        custom_currency_rate = coalesce(v_new.custom_currency_rate, custom_currency_rate),
        custom_currency_sum = coalesce(v_new.custom_currency_sum, custom_currency_sum),
        offer_created_at = coalesce(v_new.offer_created_at, offer_created_at),
        in_hold_until = coalesce(v_new.in_hold_until, in_hold_until),
        skins_sent_at = coalesce(v_new.skins_sent_at, skins_sent_at),
        trade_offer_id = coalesce(v_new.trade_offer_id, trade_offer_id),
        fail_reason = coalesce(v_new.fail_reason, fail_reason),
        user_risk = coalesce(v_new.user_risk, user_risk),
        anomaly = coalesce(v_note, anomaly),
        status_changed_at = v_now,
        updated_at = v_now
      WHERE transaction_id = p_transaction_id AND status = v_cur.status;
    ELSIF v_outcome = 'conflict' THEN
      UPDATE deposits SET anomaly = v_note, updated_at = v_now WHERE transaction_id = p_transaction_id;
    END IF;
  END IF;

  IF p_delivery IS NOT NULL THEN
    -- One signed body sent again and again (the same `sign`, whatever rides unsigned) is kept in full
    -- KEPT_SIGNED_COPIES (3) times per deposit; every further copy is recorded — size, hash, address, outcome, a
    -- link to the first — without its body and payload. The partial index holds only kept rows, so this reads at
    -- most three entries however many copies arrive. An applied observation is always kept whole.
    IF v_outcome <> 'applied' AND v_sign IS NOT NULL THEN
      SELECT min(k.id), count(*) INTO v_first_copy, v_kept FROM (
        SELECT w.id FROM webhook_deliveries w
        WHERE w.transaction_id = p_transaction_id AND w.sign = v_sign AND w.identical_to_delivery_id IS NULL
        LIMIT 3
      ) k;
    END IF;
    IF v_kept >= 3 THEN
      v_raw_body := '\x'::bytea;
      v_payload := '{}'::jsonb;
      v_note := concat_ws('; ', v_note,
        format('a copy of delivery %s''s signed fields: body not stored again', v_first_copy));
    ELSE
      v_first_copy := NULL;
    END IF;
    INSERT INTO webhook_deliveries (
      remote_address, headers, content_type, raw_body, body_bytes, body_sha256, body_truncated, encoding,
      sign_check, sign_variant, x_sign_check, outcome, http_status, transaction_id, notification_status,
      duration_ms, replay_of_delivery_id, sign, identical_to_delivery_id
    )
    SELECT r.remote_address,
      CASE WHEN v_first_copy IS NOT NULL AND pg_column_size(r.headers) > 2048
        THEN jsonb_build_object('x-console-left-out', 'headers over 2 KB of a stored copy')
        ELSE r.headers END,
      r.content_type, v_raw_body, r.body_bytes, r.body_sha256,
      coalesce(r.body_truncated, false), r.encoding, r.sign_check, r.sign_variant, r.x_sign_check,
      v_outcome::text::delivery_outcome, 200, p_transaction_id, p_incoming, r.duration_ms, r.replay_of_delivery_id,
      v_sign, v_first_copy
    FROM jsonb_populate_record(NULL::webhook_deliveries, p_delivery) r
    RETURNING id INTO v_delivery_id;
  END IF;

  INSERT INTO deposit_events (transaction_id, delivery_id, source, status, previous_status, outcome, payload, note)
  VALUES (p_transaction_id, v_delivery_id, p_source, p_incoming, v_previous, v_outcome, v_payload, v_note)
  RETURNING id INTO v_event_id;

  RETURN QUERY SELECT v_outcome, v_previous, v_event_id, v_delivery_id;
END
$$;
