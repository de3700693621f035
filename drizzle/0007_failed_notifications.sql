CREATE TABLE "notification_replays" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "notification_replays_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"target_kind" text NOT NULL,
	"target_id" bigint NOT NULL,
	"target_generation" integer DEFAULT 1 NOT NULL,
	"transaction_id" text,
	"status" text NOT NULL,
	"method" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"finished_at" timestamp with time zone,
	"previous_status" "deposit_status",
	"new_status" "deposit_status",
	"event_id" bigint,
	"delivery_id" bigint,
	"message" text,
	"bulk_job_id" bigint
);
--> statement-breakpoint
CREATE TABLE "scheduled_jobs" (
	"name" text PRIMARY KEY NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"running_since" timestamp with time zone,
	"last_started_at" timestamp with time zone,
	"last_finished_at" timestamp with time zone,
	"last_duration_ms" integer,
	"last_result" jsonb,
	"last_error" text,
	"runs" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "skinsback_failures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "skinsback_failures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" text NOT NULL,
	"order_id" text NOT NULL,
	"http_code" text NOT NULL,
	"listed_count" integer NOT NULL,
	"generation" integer DEFAULT 1 NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolution" text,
	"resolved_at" timestamp with time zone,
	"resolved_listed_count" integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX "notification_replays_once_idx" ON "notification_replays" USING btree ("target_kind","target_id","target_generation") WHERE "notification_replays"."status" in ('running', 'applied', 'unchanged');--> statement-breakpoint
CREATE INDEX "notification_replays_transaction_idx" ON "notification_replays" USING btree ("transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "skinsback_failures_transaction_idx" ON "skinsback_failures" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "skinsback_failures_last_seen_idx" ON "skinsback_failures" USING btree ("last_seen_at" DESC NULLS LAST);