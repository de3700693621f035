CREATE TABLE "webhook_rejection_counts" (
	"scope" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"requests" integer NOT NULL,
	"bytes" bigint NOT NULL,
	CONSTRAINT "webhook_rejection_counts_scope_window_start_pk" PRIMARY KEY("scope","window_start")
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "body_sha256" text;