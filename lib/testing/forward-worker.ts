/**
 * A separate app process for the forwarding kill test: sends due messages (as every instance's sender does)
 * from a PostgreSQL console database until told to stop by being killed.
 */
import { openPostgres } from "@/lib/db/client";
import { deliverDueMessages } from "@/lib/forwarding/sender";
import { TEST_CREDENTIALS } from "./notifications";

const [databaseUrl = ""] = process.argv.slice(2);
const handle = openPostgres(databaseUrl, { maxConnections: 10 });
console.log("ready");
for (;;) {
  const sent = await deliverDueMessages({
    db: handle.db,
    now: () => new Date(),
    retryScheduleMs: [0, 1_000, 1_000],
    allowPrivateNetworks: false,
    project: TEST_CREDENTIALS,
  });
  if (sent.delivered === 0) await new Promise((r) => setTimeout(r, 20));
}
