-- An online migration (lib/db/migrate.ts): built without blocking writes to tables of millions of rows, one
-- statement at a time outside a transaction; each is safe to run again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "deposit_events_delivery_id_idx" ON "deposit_events" USING btree ("delivery_id") WHERE "deposit_events"."delivery_id" is not null;
