import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRateSlots } from "@/lib/db/schema";
import { sandboxRequests } from "@/lib/sandbox/schema";
import { createSkinsbackClient } from "@/lib/skinsback/client";
import { RateBudgetExhaustedError, SkinsBackApiError } from "@/lib/skinsback/errors";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { manualClock } from "@/lib/testing/manual-clock";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { startWorker } from "@/lib/testing/worker-process";
import { createRateBudget } from "./rate-budget";

const runWorker = (databaseUrl: string, apiUrl: string, calls: number) =>
  startWorker<{ sent: number; exhausted: number; other: string[] }>("lib/testing/rate-budget-worker.ts", [
    databaseUrl,
    apiUrl,
    String(calls),
  ]);

describe("the shared rate budget", () => {
  let consoleDb: TestDatabase;
  let sandboxDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;

  beforeAll(async () => {
    [consoleDb, sandboxDb] = await Promise.all([openTestDatabase("postgres"), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([consoleDb?.drop(), sandboxDb?.drop()]);
  });

  it("two processes attempting 600 calls within a minute send exactly 500, never more", async () => {
    const workers = [
      runWorker(consoleDb.url as string, harness.apiUrl, 300),
      runWorker(consoleDb.url as string, harness.apiUrl, 300),
    ];
    await Promise.all(workers.map((w) => w.ready)); // both processes loaded and connected
    const started = Date.now();
    for (const w of workers) w.go();
    const [a, b] = await Promise.all(workers.map((w) => w.done));
    const elapsedMs = Date.now() - started;
    console.info(
      `rate budget: ${a?.sent}+${b?.sent} sent, ${a?.exhausted}+${b?.exhausted} refused in ${elapsedMs} ms`,
    );
    expect(elapsedMs).toBeLessThan(60_000); // all 600 attempts fell inside one window
    expect([...(a?.other ?? []), ...(b?.other ?? [])]).toEqual([]);
    expect((a?.sent ?? 0) + (b?.sent ?? 0)).toBe(500);
    expect((a?.exhausted ?? 0) + (b?.exhausted ?? 0)).toBe(100);
    expect(a?.sent).toBeGreaterThan(0);
    expect(b?.sent).toBeGreaterThan(0);
    // What SkinsBack's side saw: 500 requests, none over its limit.
    const [received] = await sandboxDb.handle.db.select({ n: count() }).from(sandboxRequests);
    expect(received?.n).toBe(500);
    const [refused] = await sandboxDb.handle.db
      .select({ n: count() })
      .from(sandboxRequests)
      .where(eq(sandboxRequests.errorCode, -7));
    expect(refused?.n).toBe(0);
    const [slots] = await consoleDb.handle.db.select({ n: count() }).from(apiRateSlots);
    expect(slots?.n).toBe(500);
  });

  it("waits for room up to its bound, and frees slots as the window rolls (stepped on a manual clock)", async () => {
    // A manual clock: the budget's "now" and its waits are ours to step, so the test is exact on any machine.
    const clock = manualClock();
    const { slept, elapsed } = clock;
    const budget = createRateBudget(consoleDb.handle.db, {
      bucket: "rolling-test",
      limit: 3,
      windowMs: 1_000,
      pollMs: 50,
      clock,
    });
    for (const at of [0, 100, 200]) {
      clock.set(at);
      expect(await budget.tryAcquire()).toEqual({ granted: true });
    }
    clock.set(300);
    // Full: the oldest slot (taken at 0 ms) leaves the window at 1,000 ms, 700 ms from now.
    expect(await budget.tryAcquire()).toEqual({ granted: false, retryAfterMs: 700 });
    // A caller that may not wait that long is refused at once, without sleeping.
    expect(await budget.acquire(699)).toEqual({ granted: false, retryAfterMs: 700 });
    expect(slept).toEqual([]);
    // A caller that may wait polls every 50 ms and is granted exactly when the oldest slot expires.
    expect(await budget.acquire(2_000)).toEqual({ granted: true });
    expect(elapsed()).toBe(1_000);
    expect(slept.every((ms) => ms === 50)).toBe(true);
    // Slots at 100, 200 and 1,000 ms fill the window again; the next frees at 1,100 ms.
    expect(await budget.tryAcquire()).toEqual({ granted: false, retryAfterMs: 100 });
    expect((await budget.acquire(0)).granted).toBe(false);
    expect(elapsed()).toBe(1_000);
    // A block (SkinsBack's -7) refuses everyone for its duration, counted on the same clock.
    await budget.block(5_000);
    clock.advance(4_000);
    expect(await budget.tryAcquire()).toEqual({ granted: false, retryAfterMs: 1_000 });
    clock.advance(1_000);
    expect(await budget.tryAcquire()).toEqual({ granted: true });
  });
});

describe("the sandbox's own 500/min limit and the client's reaction to -7", () => {
  let consoleDb: TestDatabase;
  let sandboxDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;

  beforeAll(async () => {
    [consoleDb, sandboxDb] = await Promise.all([openTestDatabase("pglite"), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([consoleDb?.drop(), sandboxDb?.drop()]);
  });

  it("call 501 within a minute gets -7; the budget then blocks everyone for a minute", async () => {
    const unbudgeted = createSkinsbackClient({ apiUrl: harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS });
    let remaining = 500;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (remaining-- > 0) await unbudgeted.status({});
      }),
    );
    const error = await unbudgeted.status({}).catch((e) => e);
    expect(error).toBeInstanceOf(SkinsBackApiError);
    expect(error).toMatchObject({ skinsbackCode: -7, errorMessage: "request_limit_reached" });

    const budget = createRateBudget(consoleDb.handle.db, { bucket: "blocked-test" });
    const budgeted = createSkinsbackClient({
      apiUrl: harness.apiUrl,
      ...SANDBOX_TEST_CREDENTIALS,
      rateBudget: budget,
      maxBudgetWaitMs: 0,
    });
    await expect(budgeted.balance({})).rejects.toMatchObject({ skinsbackCode: -7 });
    const next = await budgeted.balance({}).catch((e) => e);
    expect(next).toBeInstanceOf(RateBudgetExhaustedError);
    expect(next.retryAfterSeconds).toBeGreaterThan(55);
    expect(next.message).toMatch(/rate budget exhausted, retry in \d+ s/);
  });
});
