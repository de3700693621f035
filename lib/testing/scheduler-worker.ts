/**
 * A separate app process for the scheduler test: runs the job loop (the same one every instance runs) against a
 * PostgreSQL database for a while, with one job that counts its runs, and prints the count as JSON at the end.
 * Prints "ready" once connected and starts on "go", so two processes start together.
 */
import { sql } from "drizzle-orm";
import { openPostgres } from "@/lib/db/client";
import { startJobLoop } from "@/lib/jobs/scheduler";

const [databaseUrl = "", intervalText = "1000", durationText = "4500"] = process.argv.slice(2);
const handle = openPostgres(databaseUrl, { maxConnections: 2 });
await handle.db.execute(sql`select 1`);
console.log("ready");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
let runs = 0;
const stop = startJobLoop(
  async () => handle.db,
  [
    {
      name: "two-process-test",
      intervalMs: Number(intervalText),
      run: async () => {
        runs += 1;
        return { pid: process.pid };
      },
    },
  ],
  { tickMs: 50, log: () => {} },
);
await new Promise((resolve) => setTimeout(resolve, Number(durationText)));
stop();
console.log(JSON.stringify({ runs }));
await handle.close();
process.exit(0);
