/**
 * Bulk replay against the sandbox at SkinsBack's real budget (500 calls a minute), measured in one run:
 * - ceiling: replays per second with no budget at all (what this machine can do);
 * - the bulk job: 1,000 failures replayed at the real budget — the busiest minute as a fraction of the budget
 *   (target ≥ 0.90), and how many -7 "request limit" answers SkinsBack gave (target 0).
 *   npm run bench -- bulk          (console on PGlite; BENCH_DB=postgres for the PostgreSQL server)
 */
import { sql } from "drizzle-orm";
import { rowsOf } from "@/lib/db/rows";
import { startBulkReplay, workOnBulkReplay } from "@/lib/failed-notifications/bulk";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { updateSwitches } from "@/lib/sandbox/switches";
import { openTestDatabase } from "@/lib/testing/databases";
import { listFailedDeposits } from "@/lib/testing/failed-rows";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";

const N = Number(process.env.BENCH_N ?? 1_000);
const CEILING_N = 200;
const kind = process.env.BENCH_DB === "postgres" ? "postgres" : "pglite";
const by = { actor: { kind: "system" }, label: "bench" } as const;

async function setup(count: number, budget: { limit: number; windowMs: number }) {
  const [consoleDb, sandboxDb] = await Promise.all([openTestDatabase(kind), openTestDatabase("pglite")]);
  const harness = await startSandboxHarness({
    sandboxDb: sandboxDb.handle.db,
    consoleDb: consoleDb.handle.db,
    rateLimit: budget.limit,
    rateWindowMs: budget.windowMs,
  });
  await updateSwitches(sandboxDb.handle.db, { liveTraffic: false });
  await listFailedDeposits(harness.ctx, consoleDb.handle.db, count);
  const deps = {
    db: consoleDb.handle.db,
    client: skinsbackGateway(
      consoleDb.handle.db,
      {
        apiUrl: harness.apiUrl,
        ...SANDBOX_TEST_CREDENTIALS,
        callsPerMinute: budget.limit,
        ...(budget.limit > 500 ? { windowMs: budget.windowMs } : {}),
      },
      "bench",
    ),
    credentials: SANDBOX_TEST_CREDENTIALS,
  };
  const close = async () => {
    await harness.close();
    await Promise.all([consoleDb.drop(), sandboxDb.drop()]);
  };
  return { deps, sandboxDb, close };
}

async function runBulk(deps: Awaited<ReturnType<typeof setup>>["deps"]) {
  await startBulkReplay(deps.db, { state: "open" }, by);
  const started = performance.now();
  await workOnBulkReplay(deps, { owner: "bench" });
  return (performance.now() - started) / 1000;
}

console.log(`bulk replay, console database: ${kind}, sandbox over loopback HTTP, concurrency 8`);

// Ceiling: no budget to speak of.
{
  const ceiling = await setup(CEILING_N, { limit: 1_000_000, windowMs: 60_000 });
  const seconds = await runBulk(ceiling.deps);
  console.log(
    `ceiling (no budget): ${CEILING_N} replays in ${seconds.toFixed(1)} s = ${(CEILING_N / seconds).toFixed(1)} replays/s`,
  );
  await ceiling.close();
}

// The real budget: 500 a minute on SkinsBack's side, the console's default budget on ours.
const real = await setup(N, { limit: 500, windowMs: 60_000 });
const seconds = await runBulk(real.deps);
const [stats] = rowsOf<{ busiest: number; limited: number; total: number }>(
  await real.sandboxDb.handle.db.execute(sql`
    select (select max(c) from (
              select count(*) over (order by received_at range between interval '60 seconds' preceding and current row) as c
                from sandbox_requests where method = 'orderstatus') w)::int as busiest,
           (select count(*) from sandbox_requests where error_code = -7)::int as limited,
           (select count(*) from sandbox_requests where method = 'orderstatus')::int as total`),
);
const busiest = stats?.busiest ?? 0;
console.log(
  `bulk at the real budget: ${N} replays in ${seconds.toFixed(1)} s; orderstatus calls ${stats?.total}`,
);
console.log(
  `busiest 60 s window: ${busiest} calls = ×${(busiest / 500).toFixed(3)} of the 500/minute budget (target ≥ 0.90)`,
);
console.log(`-7 "request limit" answers: ${stats?.limited} (target 0)`);
await real.close();
process.exit(0);
