CREATE TABLE "console_failures" (
	"delivery_id" bigint PRIMARY KEY NOT NULL,
	"transaction_id" text,
	"http_status" smallint NOT NULL,
	"outcome" "delivery_outcome" NOT NULL,
	"error" text,
	"notification_status" "deposit_status",
	"received_at" timestamp with time zone NOT NULL,
	"resolution" text,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "console_failures" ADD CONSTRAINT "console_failures_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "console_failures_open_idx" ON "console_failures" USING btree ("received_at" DESC NULLS FIRST,"delivery_id" DESC NULLS FIRST) WHERE "console_failures"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "console_failures_received_at_idx" ON "console_failures" USING btree ("received_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "console_failures_open_transaction_idx" ON "console_failures" USING btree ("transaction_id") WHERE "console_failures"."resolved_at" is null;--> statement-breakpoint
-- A refused or unstored delivery opens a row (the outcomes are REPLAYABLE_DELIVERY_OUTCOMES in
-- lib/failed-notifications/replay.ts; console-failures.test.ts holds the two lists together). A replay's own
-- delivery is not a new failure.
CREATE FUNCTION console_failure_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  stored_at timestamptz;
BEGIN
  -- A delivery recorded late (received before an event that already stored its status) is resolved at once.
  SELECT e.observed_at INTO stored_at FROM deposit_events e
   WHERE NEW.transaction_id IS NOT NULL AND e.transaction_id = NEW.transaction_id
     AND e.status = NEW.notification_status AND e.observed_at > NEW.received_at
   ORDER BY e.id LIMIT 1;
  INSERT INTO console_failures (delivery_id, transaction_id, http_status, outcome, error, notification_status,
                                received_at, resolved_at, resolution)
  VALUES (NEW.id, NEW.transaction_id, NEW.http_status, NEW.outcome, NEW.error, NEW.notification_status,
          NEW.received_at, stored_at, CASE WHEN stored_at IS NOT NULL THEN 'stored since' END)
  ON CONFLICT (delivery_id) DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER webhook_deliveries_console_failure
  AFTER INSERT ON webhook_deliveries
  FOR EACH ROW
  WHEN (NEW.outcome IN ('bad_signature', 'invalid_payload', 'too_large', 'unavailable') AND NEW.replay_of_delivery_id IS NULL)
  EXECUTE FUNCTION console_failure_open();
--> statement-breakpoint
-- The deposit recorded the status the failed delivery carried, after it arrived: nothing is missing any more.
CREATE FUNCTION console_failure_stored_since() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE console_failures
     SET resolved_at = NEW.observed_at, resolution = 'stored since'
   WHERE transaction_id = NEW.transaction_id AND resolved_at IS NULL
     AND notification_status = NEW.status AND received_at < NEW.observed_at;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER deposit_events_console_failure
  AFTER INSERT ON deposit_events
  FOR EACH ROW EXECUTE FUNCTION console_failure_stored_since();
--> statement-breakpoint
-- A replay of the delivery succeeded: that is the resolution shown, even over an earlier "stored since".
CREATE FUNCTION console_failure_replayed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE console_failures
     SET resolved_at = coalesce(NEW.finished_at, now()), resolution = 'replayed'
   WHERE delivery_id = NEW.target_id AND resolution IS DISTINCT FROM 'replayed';
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER notification_replays_console_failure
  AFTER INSERT OR UPDATE OF status ON notification_replays
  FOR EACH ROW
  WHEN (NEW.target_kind = 'delivery' AND NEW.status IN ('applied', 'unchanged'))
  EXECUTE FUNCTION console_failure_replayed();
--> statement-breakpoint
-- The rows history already holds, resolved as the screen resolved them until now.
INSERT INTO console_failures (delivery_id, transaction_id, http_status, outcome, error, notification_status,
                              received_at, resolved_at, resolution)
SELECT d.id, d.transaction_id, d.http_status, d.outcome, d.error, d.notification_status, d.received_at,
       coalesce(ok.finished_at, stored.at),
       CASE WHEN ok.finished_at IS NOT NULL THEN 'replayed' WHEN stored.at IS NOT NULL THEN 'stored since' END
  FROM webhook_deliveries d
  LEFT JOIN LATERAL (
    SELECT r.finished_at FROM notification_replays r
     WHERE r.target_kind = 'delivery' AND r.target_id = d.id AND r.status IN ('applied', 'unchanged')
     LIMIT 1) ok ON true
  LEFT JOIN LATERAL (
    SELECT e.observed_at AS at FROM deposit_events e
     WHERE d.transaction_id IS NOT NULL AND e.transaction_id = d.transaction_id
       AND e.status = d.notification_status AND e.observed_at > d.received_at
     ORDER BY e.id LIMIT 1) stored ON true
 WHERE d.outcome IN ('bad_signature', 'invalid_payload', 'too_large', 'unavailable')
   AND d.replay_of_delivery_id IS NULL;
