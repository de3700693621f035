import { sql } from "drizzle-orm";
import { Gauge } from "prom-client";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { FAILED_SYNC_JOB } from "@/lib/failed-notifications/sync";
import { projectBucket } from "@/lib/gateway/skinsback-gateway";
import { metrics } from "@/lib/metrics/registry";

/**
 * What `GET /api/metrics` answers: this instance's counters and histograms, and the figures every instance shares
 * read from the database at this scrape (each is one small query over an index or a few rows). A figure that
 * cannot be read leaves `console_database_up` at 0 and the rest of the answer as it is.
 */

type Gauges = Record<
  | "databaseUp"
  | "databaseConnections"
  | "budgetUsed"
  | "failedOpen"
  | "failedSyncAge"
  | "forwardBacklog"
  | "forwardOldest"
  | "differences"
  | "incidents"
  | "bulkRunning",
  Gauge<string>
>;

const scope = globalThis as { __consoleGauges?: Gauges };

function gauges(): Gauges {
  if (scope.__consoleGauges) return scope.__consoleGauges;
  const registers = [metrics().registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers });
  scope.__consoleGauges = {
    databaseUp: gauge("console_database_up", "1 when the database answered this scrape's queries"),
    databaseConnections: gauge(
      "console_database_connections",
      "Connections to the console's database (PostgreSQL)",
    ),
    budgetUsed: gauge("console_skinsback_budget_used", "Calls taken in the current 61 s window", ["bucket"]),
    failedOpen: gauge("console_failed_notifications_open", "Failed notifications not yet resolved", [
      "source",
    ]),
    failedSyncAge: gauge(
      "console_failed_sync_age_seconds",
      "Seconds since SkinsBack's failed list was last read",
    ),
    forwardBacklog: gauge("console_forward_backlog", "Messages waiting per endpoint", ["endpoint"]),
    forwardOldest: gauge("console_forward_oldest_waiting_seconds", "Age of the oldest waiting message", [
      "endpoint",
    ]),
    differences: gauge(
      "console_reconcile_differences_undecided",
      "Reconciliation flags open or acknowledged",
      ["kind"],
    ),
    incidents: gauge("console_alert_incidents_active", "Alert incidents not resolved", ["state"]),
    bulkRunning: gauge("console_bulk_replays_running", "Bulk replays in progress"),
  };
  return scope.__consoleGauges;
}

export async function scrapeMetrics(
  db: Db | undefined,
  config: AppConfig,
  now = new Date(),
): Promise<string> {
  const g = gauges();
  try {
    if (!db) throw new Error("no database");
    await readShared(db, config, g, now);
    g.databaseUp.set(1);
  } catch {
    g.databaseUp.set(0);
  }
  return metrics().registry.metrics();
}

async function readShared(db: Db, config: AppConfig, g: Gauges, now: Date): Promise<void> {
  const bucket = projectBucket(config.skinsback.clientId);
  const [row] = rowsOf<{
    shared: number;
    background: number;
    failed_skinsback: number;
    failed_console: number;
    sync_at: Date | string | null;
    bulk: number;
    connections: number | null;
  }>(
    await db.execute(sql`select
      (select count(*)::int from api_rate_slots where bucket = ${bucket} and taken_at > clock_timestamp() - interval '61 seconds') as shared,
      (select count(*)::int from api_rate_slots where bucket = ${`${bucket}:background`} and taken_at > clock_timestamp() - interval '61 seconds') as background,
      (select count(*)::int from skinsback_failures where resolved_at is null) as failed_skinsback,
      (select count(*)::int from console_failures where resolved_at is null) as failed_console,
      (select last_finished_at from scheduled_jobs where name = ${FAILED_SYNC_JOB} and last_error is null) as sync_at,
      (select count(*)::int from bulk_replay_jobs where status = 'running') as bulk,
      (select count(*)::int from pg_stat_activity where datname = current_database()) as connections`),
  );
  if (!row) return;
  g.budgetUsed.set({ bucket: "shared" }, row.shared);
  g.budgetUsed.set({ bucket: "background" }, row.background);
  g.failedOpen.set({ source: "skinsback" }, row.failed_skinsback);
  g.failedOpen.set({ source: "console" }, row.failed_console);
  if (row.sync_at) g.failedSyncAge.set((now.getTime() - new Date(row.sync_at).getTime()) / 1000);
  g.bulkRunning.set(row.bulk);
  if (row.connections !== null) g.databaseConnections.set(row.connections);

  const endpoints = rowsOf<{ name: string; backlog: number; oldest: Date | string | null }>(
    await db.execute(sql`select e.name,
        (select count(*)::int from forward_messages m where m.endpoint_id = e.id and m.state = 'waiting') as backlog,
        (select min(m.created_at) from forward_messages m where m.endpoint_id = e.id and m.state = 'waiting') as oldest
      from forward_endpoints e`),
  );
  g.forwardBacklog.reset();
  g.forwardOldest.reset();
  for (const e of endpoints) {
    g.forwardBacklog.set({ endpoint: e.name }, e.backlog);
    g.forwardOldest.set(
      { endpoint: e.name },
      e.oldest ? (now.getTime() - new Date(e.oldest).getTime()) / 1000 : 0,
    );
  }
  const kinds = rowsOf<{ kind: string; n: number }>(
    await db.execute(sql`select kind, count(*)::int as n from reconcile_differences
                          where state in ('open', 'acknowledged') group by kind`),
  );
  g.differences.reset();
  for (const k of kinds) g.differences.set({ kind: k.kind }, k.n);
  const states = rowsOf<{ state: string; n: number }>(
    await db.execute(
      sql`select state, count(*)::int as n from alert_incidents where state <> 'resolved' group by state`,
    ),
  );
  g.incidents.reset();
  for (const state of ["open", "acknowledged"])
    g.incidents.set({ state }, states.find((s) => s.state === state)?.n ?? 0);
}
