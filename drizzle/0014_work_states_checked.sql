-- The columns that track work (replays, bulk jobs, approvals, the audit and call logs) are held to the lists in
-- lib/db/schema.ts: a typo in a status can no longer be stored and then match nothing.
ALTER TABLE "api_calls" ADD CONSTRAINT "api_calls_outcome_check" CHECK ("api_calls"."outcome" in ('ok', 'api_error', 'network_error', 'response_error', 'rate_limited', 'invalid_params'));--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_outcome_check" CHECK ("audit_events"."outcome" in ('ok', 'refused', 'failed'));--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_kind_check" CHECK ("audit_events"."actor_kind" in ('operator', 'api-key', 'anonymous', 'system'));--> statement-breakpoint
ALTER TABLE "bulk_replay_items" ADD CONSTRAINT "bulk_replay_items_state_check" CHECK ("bulk_replay_items"."state" in ('pending', 'applied', 'unchanged', 'failed', 'already'));--> statement-breakpoint
ALTER TABLE "bulk_replay_items" ADD CONSTRAINT "bulk_replay_items_target_kind_check" CHECK ("bulk_replay_items"."target_kind" in ('skinsback', 'delivery'));--> statement-breakpoint
ALTER TABLE "bulk_replay_jobs" ADD CONSTRAINT "bulk_replay_jobs_status_check" CHECK ("bulk_replay_jobs"."status" in ('running', 'done', 'cancelled'));--> statement-breakpoint
ALTER TABLE "hold_approvals" ADD CONSTRAINT "hold_approvals_state_check" CHECK ("hold_approvals"."state" in ('sending', 'approved', 'already', 'failed'));--> statement-breakpoint
ALTER TABLE "notification_replays" ADD CONSTRAINT "notification_replays_status_check" CHECK ("notification_replays"."status" in ('running', 'applied', 'unchanged', 'failed'));--> statement-breakpoint
ALTER TABLE "notification_replays" ADD CONSTRAINT "notification_replays_method_check" CHECK ("notification_replays"."method" in ('orderstatus', 'stored-body'));--> statement-breakpoint
ALTER TABLE "notification_replays" ADD CONSTRAINT "notification_replays_target_kind_check" CHECK ("notification_replays"."target_kind" in ('skinsback', 'delivery'));