import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * This instance's Prometheus metrics (prom-client): what it did (counters and latency histograms, per
 * instance, as Prometheus expects: it scrapes every instance and sums), and the process's own (memory, CPU,
 * event-loop lag). Figures shared by every instance (backlogs, open failures) are read from the database at each
 * scrape (lib/monitoring/scrape.ts). One registry per process: it lives on globalThis, because Next.js may load
 * this module in more than one server bundle.
 */

type Metrics = {
  registry: Registry;
  notifications: Counter<"outcome" | "status">;
  ingestSeconds: Histogram<"outcome">;
  skinsbackCalls: Counter<"method" | "outcome">;
  skinsbackSeconds: Histogram<"method">;
  forwardAttempts: Counter<"outcome">;
  alertMessages: Counter<"channel_kind" | "outcome">;
};

function create(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "console_" });
  return {
    registry,
    notifications: new Counter({
      name: "console_notifications_total",
      help: "SkinsBack notifications received, by what the ingest made of them and the status they carried",
      labelNames: ["outcome", "status"],
      registers: [registry],
    }),
    ingestSeconds: new Histogram({
      name: "console_ingest_duration_seconds",
      help: "From a notification's first byte to its answer",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    skinsbackCalls: new Counter({
      name: "console_skinsback_calls_total",
      help: "Calls to SkinsBack's API, by method and outcome",
      labelNames: ["method", "outcome"],
      registers: [registry],
    }),
    skinsbackSeconds: new Histogram({
      name: "console_skinsback_call_duration_seconds",
      help: "SkinsBack API calls, retries included",
      labelNames: ["method"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    forwardAttempts: new Counter({
      name: "console_forward_attempts_total",
      help: "Attempts to deliver a message to a merchant's endpoint, by outcome (delivered, failed)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    alertMessages: new Counter({
      name: "console_alert_messages_total",
      help: "Alert messages sent to channels, by channel kind and outcome (sent, retried, failed, postponed)",
      labelNames: ["channel_kind", "outcome"],
      registers: [registry],
    }),
  };
}

const scope = globalThis as { __consoleMetrics?: Metrics };

export function metrics(): Metrics {
  scope.__consoleMetrics ??= create();
  return scope.__consoleMetrics;
}
