/**
 * A separate process for the rate-budget test: waits for "go" on stdin, then makes `count` SkinsBack calls
 * through the console's gateway (shared budget in PostgreSQL, no waiting), and prints what happened as JSON.
 * Prints "ready" once loaded and connected, so the test starts both processes' calls together.
 */
import { sql } from "drizzle-orm";
import { openPostgres } from "@/lib/db/client";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { RateBudgetExhaustedError } from "@/lib/skinsback/errors";
import { SANDBOX_TEST_CREDENTIALS } from "./sandbox-harness";

const [databaseUrl = "", apiUrl = "", countText = "0"] = process.argv.slice(2);
const handle = openPostgres(databaseUrl, { maxConnections: 5 });
const client = skinsbackGateway(
  handle.db,
  { apiUrl, ...SANDBOX_TEST_CREDENTIALS, maxBudgetWaitMs: 0 },
  `worker:${process.pid}`,
);

await handle.db.execute(sql`select 1`);
console.log("ready");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
const tally = { sent: 0, exhausted: 0, other: [] as string[] };
let remaining = Number(countText);
await Promise.all(
  Array.from({ length: 10 }, async () => {
    while (remaining-- > 0) {
      try {
        await client.status({});
        tally.sent += 1;
      } catch (error) {
        if (error instanceof RateBudgetExhaustedError) tally.exhausted += 1;
        else tally.other.push((error as Error).message);
      }
    }
  }),
);
console.log(JSON.stringify(tally));
await handle.close();
process.exit(0);
