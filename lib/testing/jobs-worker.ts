/**
 * A separate app process for the alerts' and reconciliation's two-process test: on each line "tick <ms>" it
 * evaluates the alert rules and asks whether the reconciliation job is due, each twice at once, at that instant
 * of the test's clock, and prints "ticked <ms>"; "end" exits. The test ticks both processes at the same instant,
 * so they race for every decision.
 */
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { evaluateAlerts } from "@/lib/alerts/incidents";
import { parseConfig } from "@/lib/config";
import { openPostgres } from "@/lib/db/client";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { runJobIfDue } from "@/lib/jobs/scheduler";
import { reconcileJob } from "@/lib/reconciliation/jobs";
import { SANDBOX_TEST_CREDENTIALS } from "./sandbox-harness";

const [databaseUrl = "", apiUrl = "", startText = "2031-01-01T00:00:00.000Z"] = process.argv.slice(2);
const handle = openPostgres(databaseUrl, { maxConnections: 4 });
await handle.db.execute(sql`select 1`);
const config = parseConfig({ RECONCILE_INTERVAL_SECONDS: "60" });
const job = reconcileJob(config, "regular", "worker", (db) =>
  skinsbackGateway(db, { apiUrl, ...SANDBOX_TEST_CREDENTIALS }, "job:reconcile"),
);
const origin = Date.parse(startText);
console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, ms] = line.trim().split(" ");
  if (command === "tick") {
    const now = new Date(origin + Number(ms));
    const evaluate = () => evaluateAlerts(handle.db, { now, clientId: SANDBOX_TEST_CREDENTIALS.clientId });
    await Promise.all([
      evaluate(),
      evaluate(),
      runJobIfDue(handle.db, job, { now }),
      runJobIfDue(handle.db, job, { now }),
    ]);
    console.log(`ticked ${ms}`);
  } else if (command === "end") break;
}
console.log(JSON.stringify({ done: true }));
await handle.close();
process.exit(0);
