import { parse } from "csv-parse/sync";
import { desc, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluateAlerts } from "@/lib/alerts/incidents";
import { parseConfig } from "@/lib/config";
import { rowsOf } from "@/lib/db/rows";
import {
  alertIncidents,
  depositEvents,
  deposits,
  reconcileDifferences,
  reconcileRuns,
} from "@/lib/db/schema";
import { applyObservation } from "@/lib/deposits/apply-observation";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { runJobIfDue } from "@/lib/jobs/scheduler";
import { advanceDue } from "@/lib/sandbox/engine";
import { deliverDue } from "@/lib/sandbox/outbox";
import { sandboxCallbackErrors, sandboxDeposits, sandboxNotifications } from "@/lib/sandbox/schema";
import { createLiveDeposit } from "@/lib/sandbox/seed";
import { updateSwitches } from "@/lib/sandbox/switches";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { manualClock } from "@/lib/testing/manual-clock";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { countUndecided, differencesCsv, listDifferences } from "./differences";
import { FIRST_RUN_AFTER_MS, reconcileJob } from "./jobs";
import { runReconciliation } from "./run";
import { runWatchdog } from "./watchdog";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(TEST_DATABASE_KINDS)("reconciliation with SkinsBack's orders, console on %s", (kind) => {
  let consoleDb: TestDatabase;
  let sandboxDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  let requests = 0;
  const clock = manualClock();
  const requestTimes: number[] = [];

  // Each test has its own console and sandbox (copies of the migrated template): it reads only what it made.
  beforeEach(async () => {
    [consoleDb, sandboxDb] = await Promise.all([openTestDatabase(kind), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({
      sandboxDb: sandboxDb.handle.db,
      consoleDb: consoleDb.handle.db,
      onApiRequest: () => {
        requests++;
        requestTimes.push(clock.elapsed());
      },
    });
  });
  afterEach(async () => {
    await harness?.close();
    await Promise.all([consoleDb?.drop(), sandboxDb?.drop()]);
  });

  const client = (options: Partial<Parameters<typeof skinsbackGateway>[1]> = {}) =>
    skinsbackGateway(
      consoleDb.handle.db,
      { apiUrl: harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS, ...options },
      "job:reconcile",
    );

  it("silent loss and drift on: every deposit SkinsBack settled shows the same status here after one run", async () => {
    const db = consoleDb.handle.db;
    await updateSwitches(sandboxDb.handle.db, { silentLoss: true, drift: true, liveTraffic: false });
    const start = new Date(Date.now() - 2 * HOUR);
    const made = [];
    for (let i = 0; i < 40; i++)
      made.push(await createLiveDeposit(harness.ctx, new Date(start.getTime() + i * 1000)));
    // Ten days of SkinsBack's life in steps of an hour: every deposit reaches its final status, holds included.
    for (let t = start.getTime(); t <= start.getTime() + 10 * DAY; t += HOUR) {
      await advanceDue(harness.ctx, new Date(t), 500);
      await deliverDue(harness.ctx, new Date(t), 500);
    }
    const truth = await sandboxDb.handle.db.select().from(sandboxDeposits);
    expect(truth.filter((d) => ["success", "fail", "hold_returned"].includes(d.status))).toHaveLength(40);
    const ours = new Map((await db.select().from(deposits)).map((d) => [d.transactionId, d.status]));
    const wrong = truth.filter((d) => ours.get(String(d.transactionId)) !== d.status);
    // The switches hid some final statuses, and nothing about them is in callback_error_list.
    expect(wrong.length).toBeGreaterThan(3);
    expect(await sandboxDb.handle.db.select().from(sandboxCallbackErrors)).toHaveLength(0);

    // The scheduled job, due every minute here: its first run (48 hours back) converges.
    const job = reconcileJob(parseConfig({ RECONCILE_INTERVAL_SECONDS: "60" }), "regular", "test", () =>
      client(),
    );
    // One instant for the schedule's clock: the first look registers the job at `seen`, due FIRST_RUN_AFTER later.
    const seen = new Date();
    const at = new Date(seen.getTime() + FIRST_RUN_AFTER_MS.regular);
    expect(await runJobIfDue(db, job, { now: seen })).toEqual({ ran: false, reason: "not due" });
    const outcome = await runJobIfDue(db, job, { now: at });
    expect(outcome).toMatchObject({ ran: true, ok: true });
    const [run] = await db.select().from(reconcileRuns).orderBy(desc(reconcileRuns.id)).limit(1);
    if (!run) throw new Error("no run recorded");
    expect(run).toMatchObject({ state: "ok", theirs: 40, ours: 40, flagged: 0 });
    expect(run.applied).toBe(wrong.length);
    const after = new Map((await db.select().from(deposits)).map((d) => [d.transactionId, d.status]));
    expect(truth.filter((d) => after.get(String(d.transactionId)) !== d.status)).toEqual([]);
    // Totals per currency agree on both sides once every success is here.
    expect(run.totals?.console).toEqual(run.totals?.skinsback);

    // Each fix is listed, resolved with what moved, and on the deposit's timeline as a reconcile event.
    const { rows } = await listDifferences(db, { state: "all" });
    expect(rows).toHaveLength(wrong.length);
    for (const row of rows) {
      expect(["missing", "behind"]).toContain(row.kind);
      expect(row.state).toBe("resolved");
      expect(row.note).toMatch(/^applied by reconciliation run \d+: .+ → /);
      const events = await db
        .select()
        .from(depositEvents)
        .where(eq(depositEvents.transactionId, row.transactionId));
      expect(events.some((e) => e.source === "reconcile" && e.outcome === "applied")).toBe(true);
    }
    // The team is told notifications went missing, once; the next run (one interval on) finds nothing to do,
    // and the incident resolves.
    const evaluate = (now: Date) => evaluateAlerts(db, { now, clientId: SANDBOX_TEST_CREDENTIALS.clientId });
    expect(await evaluate(at)).toMatchObject({ opened: 1 });
    const [incident] = await db
      .select()
      .from(alertIncidents)
      .where(eq(alertIncidents.rule, "reconciliation-fixes"));
    expect(incident?.title).toBe(`Reconciliation applied ${wrong.length} changes no notification brought`);
    expect(await runJobIfDue(db, job, { now: new Date(at.getTime() + 30_000) })).toMatchObject({
      ran: false,
    });
    expect(await runJobIfDue(db, job, { now: new Date(at.getTime() + 60_000) })).toMatchObject({
      ran: true,
      ok: true,
    });
    const [again] = await db.select().from(reconcileRuns).orderBy(desc(reconcileRuns.id)).limit(1);
    expect(again).toMatchObject({ state: "ok", applied: 0, flagged: 0 });
    expect(await evaluate(new Date(at.getTime() + 60_000))).toMatchObject({ resolved: 1 });
    await updateSwitches(sandboxDb.handle.db, { silentLoss: false, drift: false });
  });

  it("flags what it must not overwrite: a forged success, a different amount, a deposit SkinsBack never made", async () => {
    const db = consoleDb.handle.db;
    const at = new Date(Date.now() - 30 * DAY);
    const held = await createLiveDeposit(harness.ctx, at);
    const paid = await createLiveDeposit(harness.ctx, new Date(at.getTime() + 1000));
    await sandboxDb.handle.db
      .update(sandboxDeposits)
      .set({ status: "in_hold", plan: [], nextStepAt: null, amount: "10.00", currency: "usd" })
      .where(eq(sandboxDeposits.transactionId, held.transactionId));
    await sandboxDb.handle.db
      .update(sandboxDeposits)
      .set({ status: "success", plan: [], nextStepAt: null, amount: "25.00", currency: "usd" })
      .where(eq(sandboxDeposits.transactionId, paid.transactionId));
    const observe = (transactionId: string, status: "success", amount: string, orderId: string) =>
      applyObservation(db, {
        notification: {
          transaction_id: transactionId,
          order_id: orderId,
          status,
          amount,
          amount_currency: "usd",
          date: String(Math.floor(at.getTime() / 1000) + 5),
        } as never,
        payload: {},
        source: "webhook",
      });
    // Someone who read one notification forged a success for the held deposit; another arrived with a lower amount.
    await observe(String(held.transactionId), "success", "10.00", held.orderId);
    await observe(String(paid.transactionId), "success", "2.50", paid.orderId);
    await observe("999000111", "success", "75.00", "forged-order");
    // An id SkinsBack would never issue: orderstatus refuses it as invalid, which is "unknown" too, not a failed run.
    await observe("forged-id-x", "success", "1.00", "forged-order-2");
    const window = { start: new Date(at.getTime() - 1000), end: new Date(at.getTime() + 60_000) };
    const run = await runReconciliation(db, client(), { kind: "deep", requestedBy: "test", window });
    expect(run).toMatchObject({ state: "ok", theirs: 2, ours: 4, applied: 0, flagged: 4 });
    const open = await listDifferences(db, { state: "open" });
    const byKind = Object.fromEntries(open.rows.map((r) => [r.transactionId, r.kind]));
    expect(byKind).toMatchObject({
      [String(held.transactionId)]: "contradiction",
      [String(paid.transactionId)]: "amount",
      "999000111": "unknown_at_skinsback",
      "forged-id-x": "unknown_at_skinsback",
    });
    // Never overwritten: the console still says what it said.
    const [forged] = await db
      .select()
      .from(deposits)
      .where(eq(deposits.transactionId, String(held.transactionId)));
    expect(forged?.status).toBe("success");
    // The export, read back by csv-parse: one row per difference, both sides, amounts exactly as stored.
    const { csv } = await differencesCsv(db, { state: "open" });
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(records.find((r) => r.transaction_id === String(paid.transactionId))).toMatchObject({
      kind: "amount",
      ours_amount: "2.50",
      skinsback_amount: "25", // as SkinsBack's PHP writes 25.00
    });
    const counts = await countUndecided(db);
    expect(counts.contradiction + counts.amount + counts.unknown_at_skinsback).toBeGreaterThanOrEqual(3);

    // SkinsBack settles the hold as a success for the same money: that difference resolves itself.
    await sandboxDb.handle.db
      .update(sandboxDeposits)
      .set({ status: "success" })
      .where(eq(sandboxDeposits.transactionId, held.transactionId));
    await runReconciliation(db, client(), { kind: "deep", requestedBy: "test", window });
    const [settled] = await db
      .select()
      .from(reconcileDifferences)
      .where(eq(reconcileDifferences.transactionId, String(held.transactionId)));
    expect(settled).toMatchObject({ state: "resolved", decidedBy: "console" });
  });

  it("a window of 2,100 deposits is split and fully covered, and the run never takes more than its share", async () => {
    const db = consoleDb.handle.db;
    const base = new Date(Date.now() - 60 * DAY);
    await sandboxDb.handle.db.insert(sandboxDeposits).values(
      Array.from({ length: 2_100 }, (_, i) => ({
        orderId: `bulk-${i}`,
        steamId: "76561198000000001",
        game: "dota2",
        status: "success" as const,
        plan: [],
        currency: "usd",
        amount: "1.00",
        amountUsd: "1.00",
        multiplier: "2",
        createdAt: new Date(base.getTime() + i * 1_000),
      })),
    );
    requestTimes.length = 0;
    const before = requests;
    // 10 calls a minute for the project, half of them for background work; the budget runs on the test's clock.
    const limited = client({
      callsPerMinute: 10,
      windowMs: 60_000,
      clock,
      share: { bucket: "background", fraction: 0.5 },
      maxBudgetWaitMs: 120_000,
    });
    const run = await runReconciliation(db, limited, {
      kind: "manual",
      requestedBy: "test",
      window: { start: new Date(base.getTime() - 1000), end: new Date(base.getTime() + 2_100_000) },
    });
    expect(run.error).toBeNull();
    expect(run).toMatchObject({ state: "ok", theirs: 2_100, applied: 2_100 });
    expect(run.calls).toBe(requests - before);
    expect(run.calls).toBeGreaterThan(5);
    const [{ n } = { n: 0 }] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from deposits where order_id like 'bulk-%'`),
    );
    expect(n).toBe(2_100);
    // In every minute of the budget's clock, at most 5 calls (half of 10).
    for (const t of requestTimes) {
      expect(requestTimes.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(5);
    }
    // And while the run was at its share, an operator's call still had room in the shared budget.
    const operator = client({ callsPerMinute: 10, windowMs: 60_000, clock });
    await expect(operator.call("callback_error_list", {})).resolves.toBeTruthy();
    const [recorded] = await db.select().from(reconcileRuns).where(eq(reconcileRuns.id, run.id));
    expect(recorded?.pages).toBeGreaterThanOrEqual(3);
  });

  it("the watchdog asks about a deposit stuck in pending, applies SkinsBack's answer, flags what is still stuck", async () => {
    const db = consoleDb.handle.db;
    const at = new Date(Date.now() - 90 * DAY);
    const moved = await createLiveDeposit(harness.ctx, at);
    const stuck = await createLiveDeposit(harness.ctx, new Date(at.getTime() + 1000));
    for (const d of [moved, stuck]) {
      await deliverDue(harness.ctx, new Date(at.getTime() + 10_000), 500);
      await sandboxDb.handle.db
        .update(sandboxDeposits)
        .set({ plan: [], nextStepAt: null })
        .where(eq(sandboxDeposits.transactionId, d.transactionId));
    }
    await sandboxDb.handle.db
      .update(sandboxDeposits)
      .set({ status: "fail", reason: "timeout" })
      .where(eq(sandboxDeposits.transactionId, moved.transactionId));
    await sandboxDb.handle.db.delete(sandboxNotifications);
    const now = new Date(at.getTime() + 3 * HOUR);
    const settings = {
      pendingAfterMs: 2 * HOUR,
      holdGraceMs: HOUR,
      recheckAfterMs: 15 * 60_000,
      maxChecks: 100,
    };
    const report = await runWatchdog(db, client(), now, settings);
    expect(report).toMatchObject({ checked: 2, moved: 1, stuck: 1 });
    const [flag] = await db
      .select()
      .from(reconcileDifferences)
      .where(eq(reconcileDifferences.transactionId, String(stuck.transactionId)));
    expect(flag).toMatchObject({ kind: "stuck", state: "open" });
    // Asked once per interval: a second run inside it asks nothing.
    expect(await runWatchdog(db, client(), new Date(now.getTime() + 60_000), settings)).toMatchObject({
      checked: 0,
    });
    // SkinsBack moves it at last: the next check applies it and the stuck flag resolves.
    await sandboxDb.handle.db
      .update(sandboxDeposits)
      .set({ status: "fail", reason: "trade_timeout" })
      .where(eq(sandboxDeposits.transactionId, stuck.transactionId));
    await runWatchdog(db, client(), new Date(now.getTime() + 20 * 60_000), settings);
    const later = await runWatchdog(db, client(), new Date(now.getTime() + 21 * 60_000), settings);
    expect(later.cleared).toBe(1);
    const [done] = await db
      .select()
      .from(reconcileDifferences)
      .where(eq(reconcileDifferences.transactionId, String(stuck.transactionId)));
    expect(done?.state).toBe("resolved");
  });
});
