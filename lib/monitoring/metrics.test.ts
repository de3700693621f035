import { readFileSync } from "node:fs";
import path from "node:path";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { notificationRequest } from "@/lib/testing/notifications";
import { SANDBOX_TEST_CREDENTIALS } from "@/lib/testing/sandbox-harness";
import { scrapeMetrics } from "./scrape";

type Family = {
  name: string;
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
  }[];
};

describe.each(TEST_DATABASE_KINDS)("Prometheus metrics on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("counts notifications by outcome and status, times them, and reads the shared figures from the database", async () => {
    const db = database.handle.db;
    const config = parseConfig({
      SKINSBACK_CLIENT_ID: SANDBOX_TEST_CREDENTIALS.clientId,
      SKINSBACK_CLIENT_SECRET: SANDBOX_TEST_CREDENTIALS.clientSecret,
    });
    const receive = (request: Request) =>
      receiveSkinsbackWebhook({ getDb: async () => db, credentials: SANDBOX_TEST_CREDENTIALS }, request);
    const transactionId = String(880_000_000 + Math.floor(Math.random() * 1_000_000));
    const input = {
      transaction_id: transactionId,
      order_id: `metrics-${transactionId}`,
      status: "pending" as const,
    };
    const signed = () =>
      notificationRequest(input, { secret: SANDBOX_TEST_CREDENTIALS.clientSecret, xSign: null });
    const before = await read(db, config);
    expect((await receive(signed())).status).toBe(200);
    expect((await receive(signed())).status).toBe(200);
    expect(
      (await receive(notificationRequest(input, { secret: "not-the-secret-at-all", xSign: null }))).status,
    ).toBe(401);
    const after = await read(db, config);
    const count = (families: Family[], labels: Record<string, string>) =>
      Number(
        families
          .find((f) => f.name === "console_notifications_total")
          ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0,
      );
    expect(
      count(after, { outcome: "applied", status: "pending" }) -
        count(before, { outcome: "applied", status: "pending" }),
    ).toBe(1);
    expect(
      count(after, { outcome: "duplicate", status: "pending" }) -
        count(before, { outcome: "duplicate", status: "pending" }),
    ).toBe(1);
    expect(
      count(after, { outcome: "bad_signature", status: "none" }) -
        count(before, { outcome: "bad_signature", status: "none" }),
    ).toBe(1);
    const histogram = after.find((f) => f.name === "console_ingest_duration_seconds");
    expect(histogram?.metrics.some((m) => Number(m.buckets?.["+Inf"]) > 0)).toBe(true);
    const value = (name: string, labels: Record<string, string> = {}) =>
      after
        .find((f) => f.name === name)
        ?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value;
    expect(value("console_database_up")).toBe("1");
    // The refused request is an open failure of this console's own.
    expect(Number(value("console_failed_notifications_open", { source: "console" }))).toBeGreaterThanOrEqual(
      1,
    );
    expect(value("console_skinsback_budget_used", { bucket: "shared" })).toBe("0");
    expect(value("console_alert_incidents_active", { state: "open" })).toBe("0");
    // The process's own metrics come along.
    expect(after.some((f) => f.name === "console_process_resident_memory_bytes")).toBe(true);
  });
});

async function read(
  db: TestDatabase["handle"]["db"],
  config: ReturnType<typeof parseConfig>,
): Promise<Family[]> {
  return parsePrometheusTextFormat(await scrapeMetrics(db, config)) as Family[];
}

describe("deploy/grafana-dashboard.json", () => {
  it("charts only metrics the console exposes", async () => {
    const dashboard = readFileSync(
      path.resolve(import.meta.dirname, "../../deploy/grafana-dashboard.json"),
      "utf8",
    );
    const charted = new Set(
      [...dashboard.matchAll(/console_[a-z0-9_]+/g)].map((m) => m[0].replace(/_bucket$/, "")),
    );
    const exposed = new Set(
      (parsePrometheusTextFormat(await scrapeMetrics(undefined, parseConfig({}))) as Family[]).map(
        (f) => f.name,
      ),
    );
    expect([...charted].filter((name) => !exposed.has(name))).toEqual([]);
  });
});
