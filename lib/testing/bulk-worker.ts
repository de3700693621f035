/**
 * A separate app process for the bulk-replay kill test: works on the running bulk job (as every instance's
 * worker does) against a PostgreSQL console database and the sandbox at `apiUrl`, until the job is finished.
 */
import { openPostgres } from "@/lib/db/client";
import { currentBulkReplay, workOnBulkReplay } from "@/lib/failed-notifications/bulk";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { SANDBOX_TEST_CREDENTIALS } from "./sandbox-harness";

const [databaseUrl = "", apiUrl = "", owner = "worker", leaseText = "1500", abandonedText = "120000"] =
  process.argv.slice(2);
const handle = openPostgres(databaseUrl, { maxConnections: 10 });
const deps = {
  db: handle.db,
  client: skinsbackGateway(
    handle.db,
    { apiUrl, ...SANDBOX_TEST_CREDENTIALS, callsPerMinute: 1_000_000 },
    `worker:${owner}`,
  ),
  credentials: SANDBOX_TEST_CREDENTIALS,
};
console.log("ready");
// The job may still be leased by a process that died: keep trying until its lease lapses and the work is done.
for (;;) {
  await workOnBulkReplay(deps, {
    owner,
    leaseMs: Number(leaseText),
    abandonedAfterMs: Number(abandonedText),
  });
  const running = await currentBulkReplay(handle.db);
  if (running?.status !== "running") break;
  await new Promise((r) => setTimeout(r, 200));
}
await handle.close();
process.exit(0);
