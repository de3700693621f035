import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/client";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { spawnTsx } from "@/lib/testing/worker-process";
import { claimJobRun, finishJobRun, handOverJobRun, readJob, runJobIfDue } from "./scheduler";

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

  it("a handover at shutdown releases only its own claim, never one another instance holds now", async () => {
    const db = database.handle.db;
    const job = { name: "handover", intervalMs: 60_000, staleAfterMs: 600_000 };
    const paused = await claimJobRun(db, job, { now: at(0) });
    expect(paused).toEqual(expect.any(String));
    // The first instance stalls past the stale limit; a second takes the run over.
    const current = await claimJobRun(db, job, { now: at(700) });
    expect(current).toEqual(expect.any(String));
    // The first instance now shuts down and hands "its" run over: nothing is released.
    expect(await handOverJobRun(db, { name: job.name, token: paused as string }, 0)).toBe(false);
    expect(await readJob(db, job.name)).toMatchObject({ runningSince: at(700), claimToken: current });
    // Nor may it record a finish over the run it lost.
    await finishJobRun(db, { name: job.name, token: paused as string }, { durationMs: 1, error: "late" });
    expect(await readJob(db, job.name)).toMatchObject({ runningSince: at(700), lastError: null });
    // The holder's own handover releases it, due at once.
    expect(await handOverJobRun(db, { name: job.name, token: current as string }, 0)).toBe(true);
    expect(await readJob(db, job.name)).toMatchObject({ runningSince: null, claimToken: null });
  });

  it("a run in progress is not started twice, even on demand; a run left by a dead instance is taken over", async () => {
    const db = database.handle.db;
    const job = { name: "long", intervalMs: 60_000, staleAfterMs: 600_000 };
    expect(await claimJobRun(db, job, { now: at(0) })).toEqual(expect.any(String));
    expect(await claimJobRun(db, job, { now: at(1), force: true })).toBeNull();
    expect(await claimJobRun(db, job, { now: at(120) })).toBeNull(); // due, but still running
    expect(await claimJobRun(db, job, { now: at(601) })).toEqual(expect.any(String)); // its instance died long ago
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
  it("two processes asking at every tick run the job once per interval, not twice", {
    timeout: 60_000,
  }, async () => {
    const database = await openTestDatabase("postgres");
    const workers = [0, 1].map(() =>
      spawnTsx("lib/testing/scheduler-worker.ts", [database.url as string, "1000"]),
    );
    try {
      const lines = workers.map((w) => createInterface({ input: w.stdout as NodeJS.ReadableStream }));
      const next = lines.map((l) => l[Symbol.asyncIterator]());
      const reply = async (i: number) => (await next[i]?.next())?.value as string;
      expect(await Promise.all([reply(0), reply(1)])).toEqual(["ready", "ready"]);
      // 4.9 s of the test's clock in 100 ms ticks, both processes at the same instant each time.
      for (let ms = 0; ms < 5_000; ms += 100) {
        for (const w of workers) w.stdin?.write(`tick ${ms}\n`);
        expect(await Promise.all([reply(0), reply(1)])).toEqual([`ticked ${ms}`, `ticked ${ms}`]);
      }
      for (const w of workers) w.stdin?.end("end\n");
      const [a, b] = (await Promise.all([reply(0), reply(1)])).map((l) => JSON.parse(l) as { runs: number });
      // Due at 0, 1, 2, 3 and 4 s: five runs between them, however the claims fell; ten if both ran each one.
      expect((a?.runs ?? 0) + (b?.runs ?? 0)).toBe(5);
      expect((await readJob(database.handle.db, "two-process-test"))?.runs).toBe(5);
    } finally {
      for (const w of workers) w.kill();
      await database.drop();
    }
  });
});
