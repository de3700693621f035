-- An online migration (lib/db/migrate.ts): the search's new indexes are built first, then the ones they replace
-- are dropped, so the search never goes without one.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "deposits_order_id_prefix_idx" ON "deposits" USING btree ("order_id" text_pattern_ops);--> statement-breakpoint
CREATE INDEX CONCURRENTLY IF NOT EXISTS "deposits_steam_id_prefix_idx" ON "deposits" USING btree ("steam_id" text_pattern_ops);--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "deposits_order_id_idx";--> statement-breakpoint
DROP INDEX CONCURRENTLY IF EXISTS "deposits_steam_id_idx";
