CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"last_used_address" text,
	"revoked_at" timestamp with time zone,
	"revoked_by" text
);
--> statement-breakpoint
CREATE TABLE "deposit_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deposit_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" bigint NOT NULL,
	"transaction_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forward_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forward_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"message_id" bigint NOT NULL,
	"endpoint_id" text NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"signed_at" bigint NOT NULL,
	"http_status" smallint,
	"duration_ms" integer NOT NULL,
	"response" text,
	"error" text,
	"delivered" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forward_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"format" text NOT NULL,
	"event_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"state" text DEFAULT 'enabled' NOT NULL,
	"state_reason" text,
	"allow_private_network" boolean DEFAULT false NOT NULL,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_until" timestamp with time zone,
	"skinsback_secret" text,
	"skinsback_encoding" text DEFAULT 'json' NOT NULL,
	"concurrency" integer DEFAULT 8 NOT NULL,
	"failing_since" timestamp with time zone,
	"origin" text DEFAULT 'console' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forward_endpoints_format_check" CHECK ("forward_endpoints"."format" in ('standard', 'skinsback')),
	CONSTRAINT "forward_endpoints_state_check" CHECK ("forward_endpoints"."state" in ('enabled', 'paused', 'disabled')),
	CONSTRAINT "forward_endpoints_skinsback_encoding_check" CHECK ("forward_endpoints"."skinsback_encoding" in ('json', 'form')),
	CONSTRAINT "forward_endpoints_concurrency_check" CHECK ("forward_endpoints"."concurrency" between 1 and 64)
);
--> statement-breakpoint
CREATE TABLE "forward_messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forward_messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"endpoint_id" text NOT NULL,
	"change_id" bigint,
	"transaction_id" text,
	"sequence" integer,
	"type" text NOT NULL,
	"state" text DEFAULT 'waiting' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_http_status" smallint,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"recovery_id" bigint,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "forward_messages_state_check" CHECK ("forward_messages"."state" in ('waiting', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "forward_recoveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "forward_recoveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"endpoint_id" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"total" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sandbox_merchant_receipts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_merchant_receipts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"webhook_id" text,
	"type" text,
	"transaction_id" text,
	"sequence" integer,
	"verified" boolean NOT NULL,
	"answered_status" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deposit_changes" ADD CONSTRAINT "deposit_changes_event_id_deposit_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."deposit_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_attempts" ADD CONSTRAINT "forward_attempts_message_id_forward_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."forward_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_messages" ADD CONSTRAINT "forward_messages_endpoint_id_forward_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."forward_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_messages" ADD CONSTRAINT "forward_messages_change_id_deposit_changes_id_fk" FOREIGN KEY ("change_id") REFERENCES "public"."deposit_changes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forward_recoveries" ADD CONSTRAINT "forward_recoveries_endpoint_id_forward_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."forward_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "deposit_changes_sequence_idx" ON "deposit_changes" USING btree ("transaction_id","sequence");--> statement-breakpoint
CREATE INDEX "deposit_changes_feed_idx" ON "deposit_changes" USING btree ("txid","id");--> statement-breakpoint
CREATE INDEX "deposit_changes_event_idx" ON "deposit_changes" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "forward_attempts_message_idx" ON "forward_attempts" USING btree ("message_id","id");--> statement-breakpoint
CREATE INDEX "forward_attempts_endpoint_idx" ON "forward_attempts" USING btree ("endpoint_id","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "forward_endpoints_name_idx" ON "forward_endpoints" USING btree ("name");--> statement-breakpoint
CREATE INDEX "forward_messages_recovery_idx" ON "forward_messages" USING btree ("recovery_id","state") WHERE "forward_messages"."recovery_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "forward_messages_change_idx" ON "forward_messages" USING btree ("endpoint_id","change_id");--> statement-breakpoint
CREATE INDEX "forward_messages_due_idx" ON "forward_messages" USING btree ("endpoint_id","next_attempt_at","id") WHERE "forward_messages"."state" = 'waiting';--> statement-breakpoint
CREATE INDEX "forward_messages_lane_idx" ON "forward_messages" USING btree ("endpoint_id","transaction_id","sequence") WHERE "forward_messages"."state" = 'waiting';--> statement-breakpoint
CREATE INDEX "forward_messages_log_idx" ON "forward_messages" USING btree ("endpoint_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "forward_messages_transaction_idx" ON "forward_messages" USING btree ("transaction_id","id");--> statement-breakpoint
CREATE INDEX "sandbox_merchant_receipts_webhook_id_idx" ON "sandbox_merchant_receipts" USING btree ("webhook_id");--> statement-breakpoint
-- A deposit as merchants read it (forwarded messages, the event feed, GET /api/v1/deposits/<id>): every column
-- but the console's bookkeeping, every number as its exact text (jsonb keeps a numeric's digits), so no reader
-- ever parses money into a float. New columns are included without a change here.
CREATE OR REPLACE FUNCTION deposit_public_data(p_transaction_id text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_object_agg(f.key, CASE WHEN jsonb_typeof(f.value) = 'number' THEN to_jsonb(f.value #>> '{}')
                                      ELSE f.value END)
    FROM deposits d, jsonb_each(to_jsonb(d) - 'first_seen_at' - 'updated_at' - 'anomaly') f
   WHERE d.transaction_id = p_transaction_id
$$;
--> statement-breakpoint
-- Every applied change and every flag becomes a deposit_changes row and one forward_messages row per matching
-- endpoint, in the transaction that wrote the event (see deposit_changes in lib/db/schema.ts). Runs
-- under the deposit's row lock, which ingest_observation holds (FOR UPDATE, or the insert of a new deposit), so
-- `sequence` is max + 1 without a race; the unique (transaction_id, sequence) index would refuse one anyway.
CREATE OR REPLACE FUNCTION forward_deposit_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_deposit jsonb;
  v_unsigned jsonb := '[]'::jsonb;
  v_type text;
  v_types text[] := '{}';
  v_sequence integer;
  v_change_id bigint;
  v_data jsonb;
BEGIN
  IF NEW.outcome = 'applied' THEN
    v_types := ARRAY['deposit.' || NEW.status::text];
    IF NEW.note IS NOT NULL THEN v_types := array_append(v_types, 'deposit.flagged'); END IF;
  ELSIF NEW.outcome = 'conflict' THEN
    v_types := ARRAY['deposit.flagged'];
  ELSE
    RETURN NULL;
  END IF;

  v_deposit := deposit_public_data(NEW.transaction_id);

  -- A received body's nested blocks are outside SkinsBack's `sign`; SkinsBack's API answers are not a body.
  IF NEW.delivery_id IS NOT NULL AND jsonb_typeof(NEW.payload) = 'object' THEN
    SELECT coalesce(jsonb_agg(k.key ORDER BY k.key), '[]'::jsonb) INTO v_unsigned
      FROM jsonb_each(NEW.payload) k
     WHERE jsonb_typeof(k.value) IN ('object', 'array');
  END IF;

  FOREACH v_type IN ARRAY v_types LOOP
    SELECT coalesce(max(c.sequence), 0) + 1 INTO v_sequence
      FROM deposit_changes c WHERE c.transaction_id = NEW.transaction_id;
    v_data := v_deposit || jsonb_build_object(
      'event_id', NEW.id::text,
      'previous_status', NEW.previous_status,
      'sequence', v_sequence,
      'source', CASE NEW.source WHEN 'status_check' THEN 'refresh' WHEN 'sync' THEN 'replay'
                                ELSE NEW.source::text END,
      'observed_at', NEW.observed_at,
      'unsigned', v_unsigned);
    IF v_type = 'deposit.flagged' THEN
      v_data := v_data || jsonb_build_object('flag', NEW.note, 'observed_status', NEW.status);
    END IF;
    INSERT INTO deposit_changes (event_id, transaction_id, sequence, type, data)
    VALUES (NEW.id, NEW.transaction_id, v_sequence, v_type, v_data)
    RETURNING id INTO v_change_id;
    INSERT INTO forward_messages (endpoint_id, change_id, transaction_id, sequence, type)
    SELECT e.id, v_change_id, NEW.transaction_id, v_sequence, v_type
      FROM forward_endpoints e
     WHERE (cardinality(e.event_types) = 0 OR v_type = ANY (e.event_types))
       -- SkinsBack has no notification for a flag: a drop-in endpoint gets statuses only.
       AND NOT (e.format = 'skinsback' AND v_type = 'deposit.flagged');
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER deposit_events_forward AFTER INSERT ON deposit_events
  FOR EACH ROW EXECUTE FUNCTION forward_deposit_change();
