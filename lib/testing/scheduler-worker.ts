/**
 * A separate app process for the scheduler test: claims and runs one job against a PostgreSQL database on a
 * clock the test drives. Prints "ready" once connected; then, for each line "tick <ms>" on stdin, asks twice at
 * once whether the job is due at that instant (as the job loop does, with its `now` the test's) and prints
 * "ticked <ms>"; on "end" prints its run count as JSON and exits. The test ticks every process at the same
 * instant and waits for all of them, so the processes race for each claim, and the count is exact.
 */
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { openPostgres } from "@/lib/db/client";
import { type JobDefinition, runJobIfDue } from "@/lib/jobs/scheduler";

const [databaseUrl = "", intervalText = "1000", startText = "2030-01-01T00:00:00.000Z"] =
  process.argv.slice(2);
const handle = openPostgres(databaseUrl, { maxConnections: 2 });
await handle.db.execute(sql`select 1`);
let runs = 0;
const job: JobDefinition = {
  name: "two-process-test",
  intervalMs: Number(intervalText),
  run: async () => {
    runs += 1;
    return { pid: process.pid };
  },
};
const origin = Date.parse(startText);
console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, ms] = line.trim().split(" ");
  if (command === "tick") {
    const now = new Date(origin + Number(ms));
    await Promise.all([runJobIfDue(handle.db, job, { now }), runJobIfDue(handle.db, job, { now })]);
    console.log(`ticked ${ms}`);
  } else if (command === "end") break;
}
console.log(JSON.stringify({ runs }));
await handle.close();
process.exit(0);
