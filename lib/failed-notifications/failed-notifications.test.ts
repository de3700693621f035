import { and, eq, inArray, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import {
  auditEvents,
  deposits,
  notificationReplays,
  skinsbackFailures,
  webhookDeliveries,
} from "@/lib/db/schema";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { depositObject } from "@/lib/sandbox/engine";
import { deliverDue } from "@/lib/sandbox/outbox";
import { sandboxCallbackErrors, sandboxDeposits } from "@/lib/sandbox/schema";
import { createLiveDeposit } from "@/lib/sandbox/seed";
import { updateSwitches } from "@/lib/sandbox/switches";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { notificationRequest } from "@/lib/testing/notifications";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { failedFiltersSchema, listFailed } from "./list";
import { replayFailure } from "./replay";
import { syncFailedList } from "./sync";

const by = {
  actor: { kind: "operator", id: "op-1", email: "ops@example.com" },
  label: "ops@example.com",
} as const;

describe.each(TEST_DATABASE_KINDS)("failed notifications: sync and replay, console on %s", (kind) => {
  let consoleDb: TestDatabase;
  let sandboxDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  let deps: Parameters<typeof replayFailure>[0];
  const receive = (request: Request) =>
    receiveSkinsbackWebhook(
      { getDb: async () => consoleDb.handle.db, credentials: SANDBOX_TEST_CREDENTIALS },
      request,
    );
  const signed = (input: Parameters<typeof notificationRequest>[0], options = {}) =>
    notificationRequest(input, { secret: SANDBOX_TEST_CREDENTIALS.clientSecret, xSign: null, ...options });
  const openRow = async (transactionId: string) => {
    const [row] = await consoleDb.handle.db
      .select()
      .from(skinsbackFailures)
      .where(eq(skinsbackFailures.transactionId, transactionId));
    if (!row) throw new Error(`no failed row for ${transactionId}`);
    return row;
  };

  // Each test has its own console and sandbox (copies of the migrated template): it reads only what it made.
  beforeEach(async () => {
    [consoleDb, sandboxDb] = await Promise.all([openTestDatabase(kind), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
    deps = {
      db: consoleDb.handle.db,
      client: skinsbackGateway(
        consoleDb.handle.db,
        { apiUrl: harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS },
        "test",
      ),
      credentials: SANDBOX_TEST_CREDENTIALS,
    };
  });
  afterEach(async () => {
    await harness?.close();
    await Promise.all([consoleDb?.drop(), sandboxDb?.drop()]);
  });

  it("a failing Result URL → listed by SkinsBack → synced over two pages → replayed from orderstatus → right here", async () => {
    const now = new Date();
    await updateSwitches(sandboxDb.handle.db, { failResultUrl: true, liveTraffic: false });
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createLiveDeposit(harness.ctx, now));
    const report = await deliverDue(harness.ctx, new Date(now.getTime() + 5_000));
    expect(report).toMatchObject({ failed: 3 });
    // A list longer than one page: 1,000 more entries of deposits this console never heard of.
    await sandboxDb.handle.db.insert(sandboxCallbackErrors).values(
      Array.from({ length: 1_000 }, (_, i) => ({
        transactionId: 900_000_000 + i,
        orderId: `filler-${i}`,
        httpCode: "500",
      })),
    );
    const synced = await syncFailedList(consoleDb.handle.db, deps.client);
    expect(synced).toMatchObject({
      pages: 2,
      entries: 1_003,
      transactions: 1_003,
      open: 1_003,
      noLongerListed: 0,
    });

    const first = made[0] as (typeof made)[number];
    const transactionId = String(first.transactionId);
    const row = await openRow(transactionId);
    expect(row).toMatchObject({ orderId: first.orderId, httpCode: "500", listedCount: 1, generation: 1 });
    expect(
      await consoleDb.handle.db.select().from(deposits).where(eq(deposits.transactionId, transactionId)),
    ).toEqual([]);

    const replayed = await replayFailure(deps, { target: { kind: "skinsback", id: row.id }, by });
    expect(replayed).toEqual({
      result: "applied",
      previousStatus: null,
      newStatus: "pending",
      transactionId,
    });
    const [deposit] = await consoleDb.handle.db
      .select()
      .from(deposits)
      .where(eq(deposits.transactionId, transactionId));
    expect(deposit).toMatchObject({ status: "pending", orderId: first.orderId, steamId: first.steamId });
    expect(await openRow(transactionId)).toMatchObject({ resolution: "replayed", resolvedListedCount: 1 });

    // SkinsBack still lists the old entry: the next sync keeps the row resolved.
    const again = await syncFailedList(consoleDb.handle.db, deps.client);
    expect(again.open).toBe(1_002);
    expect((await openRow(transactionId)).resolvedAt).not.toBeNull();

    // The filter bar's counts: each applies every filter but its own.
    const screen = await listFailed(
      consoleDb.handle.db,
      failedFiltersSchema.parse({ source: "skinsback", httpCode: "503" }),
    );
    expect(screen.rows).toEqual([]);
    expect(screen.counts).toMatchObject({ open: 0, resolved: 0, byHttpCode: { "500": 1_002 } });
    expect(screen.counts.bySource.skinsback).toBeUndefined(); // no 503 row from SkinsBack
    const all = await listFailed(
      consoleDb.handle.db,
      failedFiltersSchema.parse({ source: "skinsback", limit: "5" }),
    );
    expect(all).toMatchObject({
      total: 1_002,
      counts: { open: 1_002, resolved: 1, bySource: { skinsback: 1_002 } },
    });
    expect(all.rows).toHaveLength(5);
    expect(all.rows[0]).toMatchObject({ effect: expect.any(String), prediction: expect.any(String) });

    // The real notification arriving later is a duplicate of what the replay stored.
    const late = await receive(signed(depositObject(first)));
    expect(late.status).toBe(200);
    expect(late.headers.get("x-outcome")).toBe("duplicate");

    // A new failure for the same deposit (its next status) reopens the row as a new generation.
    await sandboxDb.handle.db
      .insert(sandboxCallbackErrors)
      .values({ transactionId: first.transactionId, orderId: first.orderId, httpCode: "503" });
    await syncFailedList(consoleDb.handle.db, deps.client);
    expect(await openRow(transactionId)).toMatchObject({
      resolvedAt: null,
      generation: 2,
      listedCount: 2,
      httpCode: "503",
    });

    // Entries SkinsBack stops listing are resolved as such; the rest stay open.
    await sandboxDb.handle.db
      .delete(sandboxCallbackErrors)
      .where(inArray(sandboxCallbackErrors.transactionId, [first.transactionId, 900_000_000, 900_000_001]));
    const after = await syncFailedList(consoleDb.handle.db, deps.client);
    expect(after).toMatchObject({ transactions: 1_000, noLongerListed: 3 });
    expect(await openRow(transactionId)).toMatchObject({ resolution: "no longer listed", generation: 2 });
    expect(await openRow("900000002")).toMatchObject({ resolvedAt: null });
    await updateSwitches(sandboxDb.handle.db, { failResultUrl: false });
  });

  it("a list of 70,000 failed transactions (after a long outage) syncs, and resolves what leaves it", async () => {
    const FIRST = 910_000_000;
    const COUNT = 70_000;
    await sandboxDb.handle.db.execute(sql`
      insert into sandbox_callback_errors (transaction_id, order_id, http_code)
      select n, 'outage-' || n, '503' from generate_series(${FIRST}::bigint, ${FIRST + COUNT - 1}::bigint) n`);
    // Same-length digit strings compare as their numbers do.
    const mine = sql`length(transaction_id) = 9 and transaction_id between ${String(FIRST)} and ${String(FIRST + COUNT - 1)}`;
    try {
      const synced = await syncFailedList(consoleDb.handle.db, deps.client);
      expect(synced.pages).toBeGreaterThanOrEqual(70);
      const [open] = rowsOf<{ n: number }>(
        await consoleDb.handle.db.execute(
          sql`select count(*)::int as n from skinsback_failures where resolved_at is null and ${mine}`,
        ),
      );
      expect(open?.n).toBe(COUNT);
      // SkinsBack delivered all but one: the next sync's "no longer listed" names 69,999 of them in one statement.
      await sandboxDb.handle.db.execute(
        sql`delete from sandbox_callback_errors where transaction_id between ${FIRST} and ${FIRST + COUNT - 2}`,
      );
      const after = await syncFailedList(consoleDb.handle.db, deps.client);
      expect(after.noLongerListed).toBe(COUNT - 1);
      expect(await openRow(String(FIRST + COUNT - 1))).toMatchObject({ resolvedAt: null });
      expect(await openRow(String(FIRST))).toMatchObject({ resolution: "no longer listed" });
    } finally {
      await sandboxDb.handle.db.execute(
        sql`delete from sandbox_callback_errors where transaction_id between ${FIRST} and ${FIRST + COUNT - 1}`,
      );
      await consoleDb.handle.db.execute(sql`delete from skinsback_failures where ${mine}`);
    }
  });

  it("20 concurrent replays of one row: exactly one replays, 19 are told who did and when", async () => {
    const d = await createLiveDeposit(harness.ctx, new Date());
    const [row] = await consoleDb.handle.db
      .insert(skinsbackFailures)
      .values({ transactionId: String(d.transactionId), orderId: d.orderId, httpCode: "500", listedCount: 1 })
      .returning();
    const target = { kind: "skinsback", id: row?.id as number } as const;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        replayFailure(deps, { target, by: { ...by, label: `operator-${i}` } }),
      ),
    );
    expect(results.filter((r) => r.result === "applied")).toHaveLength(1);
    const already = results.filter((r) => r.result === "already");
    expect(already).toHaveLength(19);
    const winner = results.findIndex((r) => r.result === "applied");
    for (const r of already) expect(r).toMatchObject({ by: `operator-${winner}` });
    const replays = await consoleDb.handle.db
      .select()
      .from(notificationReplays)
      .where(eq(notificationReplays.targetId, target.id));
    expect(replays.filter((r) => r.targetKind === "skinsback")).toHaveLength(1);
  });

  it("a replay whose orderstatus answer has no user_risk keeps the stored risk data", async () => {
    const d = await createLiveDeposit(harness.ctx, new Date());
    const risk = { total_deposits_count: "12", total_deposits_sum: "640.50", joined_at: "2024-01-05" };
    const held = await receive(
      signed({ ...depositObject(d), status: "in_hold", in_hold_until: 1_900_000_000, user_risk: risk }),
    );
    expect(held.status).toBe(200);
    // SkinsBack has since settled it (its notification was lost); orderstatus carries no user_risk.
    await sandboxDb.handle.db
      .update(sandboxDeposits)
      .set({ status: "success" })
      .where(eq(sandboxDeposits.transactionId, d.transactionId));
    const [row] = await consoleDb.handle.db
      .insert(skinsbackFailures)
      .values({ transactionId: String(d.transactionId), orderId: d.orderId, httpCode: "500", listedCount: 1 })
      .returning();
    const result = await replayFailure(deps, { target: { kind: "skinsback", id: row?.id as number }, by });
    expect(result).toMatchObject({ result: "applied", previousStatus: "in_hold", newStatus: "success" });
    const [deposit] = await consoleDb.handle.db
      .select()
      .from(deposits)
      .where(eq(deposits.transactionId, String(d.transactionId)));
    expect(deposit?.status).toBe("success");
    // Numbers in the block arrived as SkinsBack's PHP writes them (640.50 as 640.5).
    expect(deposit?.userRisk).toMatchObject({ ...risk, total_deposits_sum: "640.5" });
  });

  it("a stored body replayed for a deposit that exists says its real previous status, on screen and in the audit", async () => {
    const d = await createLiveDeposit(harness.ctx, new Date());
    expect((await receive(signed(depositObject(d)))).status).toBe(200);
    // The success notification that was answered 503 (the database was down): its bytes are all the console has.
    const request = signed({ ...depositObject(d), status: "success" });
    const body = new Uint8Array(await request.arrayBuffer());
    const [lost] = await consoleDb.handle.db
      .insert(webhookDeliveries)
      .values({
        headers: { "content-type": request.headers.get("content-type") ?? "" },
        contentType: request.headers.get("content-type"),
        rawBody: body,
        bodyBytes: body.byteLength,
        signCheck: "not_checked",
        xSignCheck: "absent",
        outcome: "unavailable",
        httpStatus: 503,
        transactionId: String(d.transactionId),
        notificationStatus: "success",
        durationMs: 1200,
      })
      .returning({ id: webhookDeliveries.id });
    const result = await replayFailure(deps, { target: { kind: "delivery", id: lost?.id as number }, by });
    expect(result).toEqual({
      result: "applied",
      previousStatus: "pending",
      newStatus: "success",
      transactionId: String(d.transactionId),
    });
    const [replay] = await consoleDb.handle.db
      .select()
      .from(notificationReplays)
      .where(eq(notificationReplays.targetId, lost?.id as number));
    expect(replay).toMatchObject({ status: "applied", previousStatus: "pending", newStatus: "success" });
    expect(replay?.deliveryId).toEqual(expect.any(Number));
    expect(replay?.eventId).toEqual(expect.any(Number));
    const [audit] = await consoleDb.handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "notification.replay"), eq(auditEvents.targetId, String(lost?.id))));
    expect(audit?.detail).toMatchObject({ method: "stored-body", from: "pending", to: "success" });
  });

  it("a bad-signature delivery replayed unchanged stays refused and moves no money", async () => {
    const d = await createLiveDeposit(harness.ctx, new Date());
    const forged = await receive(
      signed({ ...depositObject(d), status: "success" }, { secret: "not-the-project-secret" }),
    );
    expect(forged.status).toBe(401);
    const [delivery] = await consoleDb.handle.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.transactionId, String(d.transactionId)));
    expect(delivery?.outcome).toBe("bad_signature");
    const result = await replayFailure(deps, {
      target: { kind: "delivery", id: delivery?.id as number },
      by,
    });
    expect(result).toMatchObject({ result: "failed", orderstatusPossible: true });
    expect((result as { message: string }).message).toMatch(/still refused: sign does not match/);
    expect(
      await consoleDb.handle.db
        .select()
        .from(deposits)
        .where(eq(deposits.transactionId, String(d.transactionId))),
    ).toEqual([]);
    // The refusal is recorded as a replay of the original, which stays untouched.
    const rows = await consoleDb.handle.db
      .select({
        id: webhookDeliveries.id,
        outcome: webhookDeliveries.outcome,
        replayOf: webhookDeliveries.replayOfDeliveryId,
      })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.transactionId, String(d.transactionId)));
    expect(rows).toEqual([
      { id: delivery?.id, outcome: "bad_signature", replayOf: null },
      { id: expect.any(Number), outcome: "bad_signature", replayOf: delivery?.id },
    ]);
    // The operator may read the truth instead: that moves the deposit, from SkinsBack's own answer.
    const truth = await replayFailure(deps, {
      target: { kind: "delivery", id: delivery?.id as number },
      method: "orderstatus",
      by,
    });
    expect(truth).toMatchObject({ result: "applied", newStatus: "pending" });
    const [{ n } = { n: 0 }] = await consoleDb.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notificationReplays)
      .where(
        and(
          eq(notificationReplays.targetKind, "delivery"),
          eq(notificationReplays.targetId, delivery?.id as number),
        ),
      );
    expect(n).toBe(2); // the refused one (released) and the one that applied
  });
});
