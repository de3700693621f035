CREATE TABLE "deposit_notes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deposit_notes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"transaction_id" text NOT NULL,
	"body" text NOT NULL,
	"author_email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deposit_notes" ADD CONSTRAINT "deposit_notes_transaction_id_deposits_transaction_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "public"."deposits"("transaction_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deposit_notes_transaction_idx" ON "deposit_notes" USING btree ("transaction_id","id");