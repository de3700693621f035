import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { bulkReplayItems, bulkReplayJobs, deposits } from "@/lib/db/schema";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { sandboxRequests } from "@/lib/sandbox/schema";
import { updateSwitches } from "@/lib/sandbox/switches";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { listFailedDeposits } from "@/lib/testing/failed-rows";
import { manualClock } from "@/lib/testing/manual-clock";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { spawnTsx } from "@/lib/testing/worker-process";
import {
  BulkReplayError,
  currentBulkReplay,
  previewBulkReplay,
  requestBulkCancel,
  startBulkReplay,
  workOnBulkReplay,
} from "./bulk";

/**
 * The budget and the leases run on a manual clock that moves only when someone waits: the worker waits for a
 * slot, or the test steps past a lease. So the budget binds exactly (LIMIT calls per window of the clock's time),
 * 1,200 replays take no real waiting, and nothing depends on how fast a loaded machine is. The sandbox does not
 * limit here: its count is in real time, which this clock deliberately is not.
 */
const LIMIT = 80;
const WINDOW_MS = 60_000;
const by = {
  actor: { kind: "operator", id: "op-1", email: "ops@example.com" },
  label: "ops@example.com",
} as const;

describe.each(TEST_DATABASE_KINDS)("bulk replay, console on %s", (kind) => {
  let consoleDb: TestDatabase;
  let sandboxDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  let deps: Parameters<typeof workOnBulkReplay>[0];
  const clock = manualClock();

  beforeAll(async () => {
    [consoleDb, sandboxDb] = await Promise.all([openTestDatabase(kind), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({
      sandboxDb: sandboxDb.handle.db,
      consoleDb: consoleDb.handle.db,
      rateLimit: 1_000_000,
    });
    await updateSwitches(sandboxDb.handle.db, { liveTraffic: false });
    deps = {
      db: consoleDb.handle.db,
      client: skinsbackGateway(
        consoleDb.handle.db,
        {
          apiUrl: harness.apiUrl,
          ...SANDBOX_TEST_CREDENTIALS,
          callsPerMinute: LIMIT,
          windowMs: WINDOW_MS,
          clock,
        },
        "bulk-test",
      ),
      credentials: SANDBOX_TEST_CREDENTIALS,
    };
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await Promise.all([consoleDb?.drop(), sandboxDb?.drop()]);
  });

  it("1,200 failures: completes across a dead worker, never past the budget, one job at a time", {
    timeout: 120_000,
  }, async () => {
    await listFailedDeposits(harness.ctx, consoleDb.handle.db, 1_200);
    const preview = await previewBulkReplay(consoleDb.handle.db, { state: "open" });
    expect(preview).toEqual({ total: 1_200, effects: { "create the deposit": 1_200 } });

    const job = await startBulkReplay(consoleDb.handle.db, { state: "open" }, by);
    expect(job).toMatchObject({ total: 1_200, done: 0, status: "running" });
    await expect(startBulkReplay(consoleDb.handle.db, { state: "open" }, by)).rejects.toThrow(
      BulkReplayError,
    );

    const worker = { sleep: clock.sleep, now: clock.now };
    const started = clock.elapsed();
    // Instance A works on it and dies after 300 items, holding its lease.
    const settledByA = await workOnBulkReplay(deps, {
      ...worker,
      owner: "instance-a",
      leaseMs: 800,
      maxItems: 300,
    });
    expect(settledByA).toBeGreaterThanOrEqual(300);
    const midway = await currentBulkReplay(consoleDb.handle.db);
    expect(midway?.done).toBe(settledByA);
    // B cannot take over while A's lease runs; once it has lapsed, B finishes the job.
    expect(await workOnBulkReplay(deps, { ...worker, owner: "instance-b", leaseMs: 800, maxItems: 1 })).toBe(
      0,
    );
    clock.advance(801);
    await workOnBulkReplay(deps, { ...worker, owner: "instance-b", leaseMs: 5_000 });
    const finished = await currentBulkReplay(consoleDb.handle.db);
    // Any item that failed, with its reason (said first: the counts alone would not say why).
    const failedItems = await consoleDb.handle.db
      .select({ position: bulkReplayItems.position, message: bulkReplayItems.message })
      .from(bulkReplayItems)
      .where(eq(bulkReplayItems.state, "failed"));
    expect(failedItems).toEqual([]);
    expect(finished).toMatchObject({ status: "done", total: 1_200, done: 1_200, applied: 1_200, failed: 0 });
    const [{ n } = { n: 0 }] = await consoleDb.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(deposits)
      .where(sql`${deposits.transactionId} in (select transaction_id from skinsback_failures)`);
    expect(n).toBe(1_200);

    // Never past the budget: the clock moves only while a caller waits for a slot, and a window holds LIMIT
    // calls, so 1,200 calls need at least 1,200 / LIMIT − 1 full windows of the clock's time. A worker that sent
    // without a slot would have finished with the clock barely moved.
    const windows = (clock.elapsed() - started) / WINDOW_MS;
    expect(windows).toBeGreaterThanOrEqual(1_200 / LIMIT - 1);
    const sent = await sandboxDb.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(sandboxRequests)
      .where(eq(sandboxRequests.method, "orderstatus"));
    expect(sent[0]?.n).toBe(1_200); // one call per replay: none repeated, none skipped
  });

  it("cancel stops a running job; the rows left stay open for later", { timeout: 60_000 }, async () => {
    await listFailedDeposits(harness.ctx, consoleDb.handle.db, 40, {
      httpCode: "503",
      at: new Date(Date.now() + 10_000),
    });
    const job = await startBulkReplay(consoleDb.handle.db, { state: "open", httpCode: "503" }, by);
    expect(job.total).toBe(40);
    const worker = { sleep: clock.sleep, now: clock.now };
    await workOnBulkReplay(deps, { ...worker, owner: "a", maxItems: 8, concurrency: 8 });
    await requestBulkCancel(consoleDb.handle.db, job.id, by);
    expect(await workOnBulkReplay(deps, { ...worker, owner: "a" })).toBe(0);
    const [stopped] = await consoleDb.handle.db
      .select()
      .from(bulkReplayJobs)
      .where(eq(bulkReplayJobs.id, job.id));
    expect(stopped).toMatchObject({ status: "cancelled", done: 8, cancelledBy: "ops@example.com" });
    expect((await previewBulkReplay(consoleDb.handle.db, { state: "open", httpCode: "503" })).total).toBe(32);
  });
});

describe("bulk replay across a killed app process (PostgreSQL)", () => {
  it("kill -9 mid-run: another process takes the job over and finishes it; every row replayed exactly once", {
    timeout: 120_000,
  }, async () => {
    const [consoleDb, sandboxDb] = await Promise.all([
      openTestDatabase("postgres"),
      openTestDatabase("pglite"),
    ]);
    const harness = await startSandboxHarness({
      sandboxDb: sandboxDb.handle.db,
      consoleDb: consoleDb.handle.db,
      rateLimit: 1_000_000,
    });
    const worker = (owner: string) =>
      spawnTsx(
        "lib/testing/bulk-worker.ts",
        [consoleDb.url as string, harness.apiUrl, owner, "1500", "1000"],
        "ignore",
      );
    try {
      await updateSwitches(sandboxDb.handle.db, { liveTraffic: false });
      await listFailedDeposits(harness.ctx, consoleDb.handle.db, 300);
      const job = await startBulkReplay(consoleDb.handle.db, { state: "open" }, by);

      const first = worker("first");
      const progress = async () => (await currentBulkReplay(consoleDb.handle.db))?.done ?? 0;
      const deadline = Date.now() + 60_000;
      while ((await progress()) < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const exited = new Promise((resolve) => first.once("exit", resolve));
      first.kill("SIGKILL");
      await exited;
      const doneAtKill = await progress();
      expect(doneAtKill).toBeGreaterThanOrEqual(60);
      expect(doneAtKill).toBeLessThan(300);

      const second = worker("second");
      const code = await new Promise((resolve) => second.once("exit", resolve));
      expect(code).toBe(0);
      const [finished] = await consoleDb.handle.db
        .select()
        .from(bulkReplayJobs)
        .where(eq(bulkReplayJobs.id, job.id));
      expect(finished).toMatchObject({ status: "done", total: 300, done: 300, failed: 0 });
      expect((finished?.applied ?? 0) + (finished?.unchanged ?? 0)).toBe(300);
      const [counts] = rowsOf<{ deposits: number; applied: number; targets: number; replays: number }>(
        await consoleDb.handle.db.execute(sql`
          select (select count(*) from deposits)::int as deposits,
                 (select count(*) from deposit_events where outcome = 'applied' and source = 'replay')::int as applied,
                 (select count(distinct transaction_id) from deposit_events
                   where outcome = 'applied' and source = 'replay')::int as targets,
                 (select count(distinct target_id) from notification_replays
                   where status in ('applied', 'unchanged'))::int as replays`),
      );
      // Every deposit made right by exactly one applied change (none twice, none lost at the kill). The row the
      // killed process was replaying may have been applied just before it died: its replay row then lapses, and
      // the next process finds the deposit already right ("unchanged") — a second replay, not a second change.
      expect(counts).toEqual({ deposits: 300, applied: 300, targets: 300, replays: 300 });
    } finally {
      await harness.close();
      await Promise.all([consoleDb.drop(), sandboxDb.drop()]);
    }
  });
});
