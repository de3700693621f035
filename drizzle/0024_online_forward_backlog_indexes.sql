-- An online migration (lib/db/migrate.ts): the sender's slots and the endpoints' oldest waiting message read these
-- partial indexes instead of scanning a backlog.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "forward_messages_claimed_idx" ON "forward_messages" USING btree ("endpoint_id","claimed_until") WHERE "forward_messages"."state" = 'waiting' and "forward_messages"."claimed_until" is not null;--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "forward_messages_waiting_age_idx" ON "forward_messages" USING btree ("endpoint_id","created_at") WHERE "forward_messages"."state" = 'waiting';
