CREATE TABLE "bulk_replay_items" (
	"job_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"target_kind" text NOT NULL,
	"target_id" bigint NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"message" text,
	CONSTRAINT "bulk_replay_items_job_id_position_pk" PRIMARY KEY("job_id","position")
);
--> statement-breakpoint
CREATE TABLE "bulk_replay_jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bulk_replay_jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"status" text DEFAULT 'running' NOT NULL,
	"filter" jsonb NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"applied" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"cancel_requested_at" timestamp with time zone,
	"cancelled_by" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bulk_replay_items" ADD CONSTRAINT "bulk_replay_items_job_id_bulk_replay_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."bulk_replay_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_replay_items_pending_idx" ON "bulk_replay_items" USING btree ("job_id","position") WHERE "bulk_replay_items"."state" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "bulk_replay_jobs_one_running_idx" ON "bulk_replay_jobs" USING btree ((true)) WHERE "bulk_replay_jobs"."status" = 'running';