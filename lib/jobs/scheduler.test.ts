import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/client";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { startWorker } from "@/lib/testing/worker-process";
import { claimJobRun, readJob, runJobIfDue } from "./scheduler";

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 12, 0, 0) + seconds * 1000);

describe.each(TEST_DATABASE_KINDS)("scheduled jobs, on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.drop());

  it("runs once per interval however many instances ask, and records how it went", async () => {
    const db = database.handle.db;
    // Other "instances": separate connection pools on the same server (PGlite serves one process).
    const others =
      kind === "postgres" && database.url ? [openPostgres(database.url), openPostgres(database.url)] : [];
    const handles = [db, ...others.map((o) => o.db)];
    let runs = 0;
    const job = {
      name: "every-minute",
      intervalMs: 60_000,
      run: async () => {
        runs += 1;
        return { runs };
      },
    };
    for (let second = 0; second < 180; second += 10) {
      // Each instance checks several times at once, at every tick, for three minutes.
      await Promise.all(
        handles.flatMap((h) => [
          runJobIfDue(h, job, { now: at(second) }),
          runJobIfDue(h, job, { now: at(second) }),
        ]),
      );
    }
    expect(runs).toBe(3); // at 0, 60 and 120 s
    const row = await readJob(db, job.name);
    expect(row).toMatchObject({ runs: 3, runningSince: null, lastResult: { runs: 3 }, lastError: null });
    expect(row?.nextRunAt).toEqual(at(180));
    await Promise.all(others.map((o) => o.close()));
  });

  it("a run in progress is not started twice, even on demand; a run left by a dead instance is taken over", async () => {
    const db = database.handle.db;
    const job = { name: "long", intervalMs: 60_000, staleAfterMs: 600_000 };
    expect(await claimJobRun(db, job, { now: at(0) })).toBe(true);
    expect(await claimJobRun(db, job, { now: at(1), force: true })).toBe(false);
    expect(await claimJobRun(db, job, { now: at(120) })).toBe(false); // due, but still running
    expect(await claimJobRun(db, job, { now: at(601) })).toBe(true); // its instance died long ago
  });

  it("a failing run records its error and frees the job for its next interval", async () => {
    const db = database.handle.db;
    const job = {
      name: "failing",
      intervalMs: 60_000,
      run: async (): Promise<Record<string, unknown>> => {
        throw new Error("SkinsBack did not answer");
      },
    };
    expect(await runJobIfDue(db, job, { now: at(0) })).toMatchObject({
      ran: true,
      ok: false,
      error: "SkinsBack did not answer",
    });
    expect(await readJob(db, "failing")).toMatchObject({
      lastError: "SkinsBack did not answer",
      runningSince: null,
    });
    expect(await runJobIfDue(db, job, { now: at(30) })).toEqual({ ran: false, reason: "not due" });
    expect((await runJobIfDue(db, job, { now: at(61) })).ran).toBe(true);
  });
});

describe("scheduled jobs across two app processes (PostgreSQL)", () => {
  it("two processes running the job loop together run the job once per interval, not twice", {
    timeout: 60_000,
  }, async () => {
    const database = await openTestDatabase("postgres");
    try {
      const workers = [0, 1].map(() =>
        startWorker<{ runs: number }>("lib/testing/scheduler-worker.ts", [
          database.url as string,
          "1000",
          "4500",
        ]),
      );
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.go();
      const [a, b] = await Promise.all(workers.map((w) => w.done));
      const total = (a?.runs ?? 0) + (b?.runs ?? 0);
      // 4.5 s at one run a second: at most 5 (at 0, 1, 2, 3 and 4 s) however the two interleave; twice that if
      // both processes ran every interval.
      expect(total).toBeLessThanOrEqual(5);
      expect(total).toBeGreaterThanOrEqual(3);
      expect((await readJob(database.handle.db, "two-process-test"))?.runs).toBe(total);
    } finally {
      await database.drop();
    }
  });
});
