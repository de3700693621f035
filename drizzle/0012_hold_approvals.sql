CREATE TABLE "hold_approvals" (
	"transaction_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"operator_id" text,
	"operator_email" text NOT NULL,
	"reason" text NOT NULL,
	"risk_level" text NOT NULL,
	"risk_reasons" jsonb NOT NULL,
	"amount" numeric,
	"currency" text,
	"bulk" boolean DEFAULT false NOT NULL,
	"message" text,
	"requested_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "hold_approvals" ADD CONSTRAINT "hold_approvals_transaction_id_deposits_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."deposits"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hold_approvals_requested_at_idx" ON "hold_approvals" USING btree ("requested_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "deposits_in_hold_until_idx" ON "deposits" USING btree ("in_hold_until","transaction_id") WHERE "deposits"."status" = 'in_hold';--> statement-breakpoint
CREATE INDEX "deposits_hold_approved_idx" ON "deposits" USING btree ("in_hold_until","transaction_id") WHERE "deposits"."status" = 'hold_approved';