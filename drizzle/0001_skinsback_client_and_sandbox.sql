CREATE TABLE "api_calls" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_calls_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"called_at" timestamp with time zone DEFAULT now() NOT NULL,
	"method" text NOT NULL,
	"params" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"error_code" integer,
	"error_message" text,
	"duration_ms" integer NOT NULL,
	"attempts" smallint NOT NULL,
	"caller" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_rate_blocks" (
	"bucket" text PRIMARY KEY NOT NULL,
	"blocked_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_rate_slots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_rate_slots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"bucket" text NOT NULL,
	"taken_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_callback_errors" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_callback_errors_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" bigint NOT NULL,
	"order_id" text NOT NULL,
	"http_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_deposits" (
	"transaction_id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_deposits_transaction_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 116700000 CACHE 1),
	"order_id" text NOT NULL,
	"steam_id" text NOT NULL,
	"game" text NOT NULL,
	"status" "deposit_status" NOT NULL,
	"plan" jsonb NOT NULL,
	"next_step_at" timestamp with time zone,
	"hold_flow" boolean DEFAULT false NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric,
	"amount_usd" numeric,
	"multiplier" numeric NOT NULL,
	"reason" text,
	"user_risk" jsonb,
	"result_url" text,
	"trade_offer_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"offer_date" timestamp with time zone,
	"skins_sent_at" timestamp with time zone,
	"in_hold_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_notifications" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_notifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" bigint NOT NULL,
	"status" "deposit_status" NOT NULL,
	"deliver_at" timestamp with time zone NOT NULL,
	"target_url" text,
	"claimed_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_http_code" text,
	"failed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_purchases" (
	"buy_id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_purchases_buy_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 5000 CACHE 1),
	"custom_id" text,
	"item" jsonb NOT NULL,
	"steam_id" text NOT NULL,
	"offer_status" text NOT NULL,
	"price_usd" numeric NOT NULL,
	"trade_offer_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"shop_id" text,
	"method" text,
	"error_code" integer,
	"received_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "api_calls_called_at_idx" ON "api_calls" USING btree ("called_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "api_calls_method_idx" ON "api_calls" USING btree ("method");--> statement-breakpoint
CREATE INDEX "api_rate_slots_bucket_taken_at_idx" ON "api_rate_slots" USING btree ("bucket","taken_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_deposits_order_id_idx" ON "sandbox_deposits" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "sandbox_deposits_next_step_idx" ON "sandbox_deposits" USING btree ("next_step_at");--> statement-breakpoint
CREATE INDEX "sandbox_deposits_created_at_idx" ON "sandbox_deposits" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "sandbox_notifications_due_idx" ON "sandbox_notifications" USING btree ("deliver_at") WHERE delivered_at is null and not failed;--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_purchases_custom_id_idx" ON "sandbox_purchases" USING btree ("custom_id");--> statement-breakpoint
CREATE INDEX "sandbox_requests_shop_received_idx" ON "sandbox_requests" USING btree ("shop_id","received_at");