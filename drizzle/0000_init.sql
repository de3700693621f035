CREATE TYPE "public"."delivery_outcome" AS ENUM('applied', 'duplicate', 'stale', 'conflict', 'bad_signature', 'invalid_payload', 'too_large', 'unavailable');--> statement-breakpoint
CREATE TYPE "public"."deposit_status" AS ENUM('pending', 'in_hold', 'hold_approved', 'success', 'fail', 'hold_returned');--> statement-breakpoint
CREATE TYPE "public"."event_outcome" AS ENUM('applied', 'duplicate', 'stale', 'conflict');--> statement-breakpoint
CREATE TYPE "public"."event_source" AS ENUM('webhook', 'replay', 'status_check', 'sync', 'operator');--> statement-breakpoint
CREATE TYPE "public"."sign_check" AS ENUM('valid', 'invalid', 'missing', 'not_checked');--> statement-breakpoint
CREATE TYPE "public"."x_sign_check" AS ENUM('valid', 'invalid', 'absent');--> statement-breakpoint
CREATE TABLE "deposit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deposit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" text NOT NULL,
	"delivery_id" bigint,
	"source" "event_source" NOT NULL,
	"status" "deposit_status" NOT NULL,
	"previous_status" "deposit_status",
	"outcome" "event_outcome" NOT NULL,
	"payload" jsonb NOT NULL,
	"note" text,
	"observed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deposits" (
	"transaction_id" text PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"steam_id" text,
	"status" "deposit_status" NOT NULL,
	"amount" numeric,
	"amount_currency" text,
	"amount_in_currencies" jsonb,
	"user_amount" numeric,
	"user_amount_in_currencies" jsonb,
	"custom_currency" text,
	"custom_currency_rate" numeric,
	"custom_currency_sum" numeric,
	"created_at" timestamp with time zone NOT NULL,
	"offer_created_at" timestamp with time zone,
	"in_hold_until" timestamp with time zone,
	"skins_sent_at" timestamp with time zone,
	"trade_offer_id" text,
	"fail_reason" text,
	"user_risk" jsonb,
	"anomaly" text,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"remote_address" text,
	"headers" jsonb NOT NULL,
	"content_type" text,
	"raw_body" "bytea" NOT NULL,
	"body_bytes" integer NOT NULL,
	"body_truncated" boolean DEFAULT false NOT NULL,
	"encoding" text,
	"sign_check" "sign_check" NOT NULL,
	"sign_variant" text,
	"x_sign_check" "x_sign_check" NOT NULL,
	"outcome" "delivery_outcome" NOT NULL,
	"http_status" smallint NOT NULL,
	"error" text,
	"transaction_id" text,
	"notification_status" "deposit_status",
	"duration_ms" integer NOT NULL,
	"replay_of_delivery_id" bigint
);
--> statement-breakpoint
ALTER TABLE "deposit_events" ADD CONSTRAINT "deposit_events_transaction_id_deposits_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."deposits"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deposit_events" ADD CONSTRAINT "deposit_events_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deposit_events_transaction_id_idx" ON "deposit_events" USING btree ("transaction_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "deposit_events_applied_once_idx" ON "deposit_events" USING btree ("transaction_id","status") WHERE "deposit_events"."outcome" = 'applied';--> statement-breakpoint
CREATE INDEX "deposits_created_at_idx" ON "deposits" USING btree ("created_at" DESC NULLS LAST,"transaction_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "deposits_status_created_at_idx" ON "deposits" USING btree ("status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "deposits_order_id_idx" ON "deposits" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "deposits_steam_id_idx" ON "deposits" USING btree ("steam_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries" USING btree ("received_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_transaction_id_idx" ON "webhook_deliveries" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_outcome_idx" ON "webhook_deliveries" USING btree ("outcome","received_at" DESC NULLS LAST);