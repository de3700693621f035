ALTER TABLE "alert_messages" ADD COLUMN "lease_token" text;--> statement-breakpoint
ALTER TABLE "scheduled_jobs" ADD COLUMN "claim_token" text;