import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvents,
  consoleFailures,
  deliveryOutcomeEnum,
  depositEvents,
  deposits,
  notificationReplays,
  webhookDeliveries,
} from "@/lib/db/schema";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { dismissFailure, dismissSchema, undismissFailure } from "./dismiss";
import { failedFiltersSchema, listFailed } from "./list";
import { REPLAYABLE_DELIVERY_OUTCOMES } from "./replay";

/**
 * console_failures is kept by triggers (drizzle/0016): these are the rules the failed screen used to recompute
 * from all history on every poll, now applied once, when the rows they depend on are written.
 */
describe.each(TEST_DATABASE_KINDS)("console failures kept by the database (%s)", (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;
  let next = 0;
  // Transaction ids no real request shares.
  const txid = () => `cf-${kind}-${++next}`;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function deliver(fields: {
    outcome: (typeof deliveryOutcomeEnum.enumValues)[number];
    transactionId?: string;
    status?: "pending" | "success" | "fail";
    receivedAt?: Date;
    replayOf?: number;
  }): Promise<number> {
    const [row] = await db()
      .insert(webhookDeliveries)
      .values({
        headers: {},
        rawBody: Buffer.from("{}"),
        bodyBytes: 2,
        signCheck: "invalid",
        xSignCheck: "absent",
        outcome: fields.outcome,
        httpStatus: fields.outcome === "unavailable" ? 503 : 401,
        transactionId: fields.transactionId ?? null,
        notificationStatus: fields.status ?? null,
        durationMs: 1,
        receivedAt: fields.receivedAt ?? new Date(),
        replayOfDeliveryId: fields.replayOf ?? null,
      })
      .returning({ id: webhookDeliveries.id });
    return row?.id as number;
  }

  async function record(transactionId: string, status: "pending" | "success", at: Date) {
    await db()
      .insert(deposits)
      .values({ transactionId, orderId: `o-${transactionId}`, status, createdAt: at })
      .onConflictDoNothing();
    await db()
      .insert(depositEvents)
      .values({ transactionId, source: "webhook", status, outcome: "applied", payload: {}, observedAt: at });
  }

  const failureOf = async (deliveryId: number) =>
    (await db().select().from(consoleFailures).where(eq(consoleFailures.deliveryId, deliveryId)))[0];

  it("opens a row for exactly the replayable outcomes, and none for a replay's own delivery", async () => {
    const opened: string[] = [];
    for (const outcome of deliveryOutcomeEnum.enumValues) {
      const id = await deliver({ outcome, transactionId: txid() });
      if (await failureOf(id)) opened.push(outcome);
    }
    expect(opened.sort()).toEqual([...REPLAYABLE_DELIVERY_OUTCOMES].sort());
    const original = await deliver({ outcome: "bad_signature", transactionId: txid() });
    expect(await failureOf(await deliver({ outcome: "bad_signature", replayOf: original }))).toBeUndefined();
  });

  it("resolves 'stored since' when the deposit later records the status the delivery carried, not another", async () => {
    const id = txid();
    const refusedAt = new Date("2026-03-01T10:00:00Z");
    const delivery = await deliver({
      outcome: "bad_signature",
      transactionId: id,
      status: "success",
      receivedAt: refusedAt,
    });
    await record(id, "pending", new Date("2026-03-01T10:01:00Z"));
    expect(await failureOf(delivery)).toMatchObject({ resolvedAt: null, resolution: null });
    await record(id, "success", new Date("2026-03-01T10:02:00Z"));
    expect(await failureOf(delivery)).toMatchObject({
      resolvedAt: new Date("2026-03-01T10:02:00Z"),
      resolution: "stored since",
    });
  });

  it("a delivery recorded after the event that already stored its status is resolved at once", async () => {
    const id = txid();
    await record(id, "success", new Date("2026-03-02T10:05:00Z"));
    const late = await deliver({
      outcome: "unavailable",
      transactionId: id,
      status: "success",
      receivedAt: new Date("2026-03-02T10:00:00Z"),
    });
    expect(await failureOf(late)).toMatchObject({ resolution: "stored since" });
  });

  it("a successful replay resolves it 'replayed', over an earlier 'stored since'; a failed one does not", async () => {
    const id = txid();
    const delivery = await deliver({ outcome: "invalid_payload", transactionId: id, status: "success" });
    const [replay] = await db()
      .insert(notificationReplays)
      .values({
        targetKind: "delivery",
        targetId: delivery,
        transactionId: id,
        status: "running",
        method: "stored-body",
        requestedBy: "test",
      })
      .returning({ id: notificationReplays.id });
    await db()
      .update(notificationReplays)
      .set({ status: "failed", finishedAt: new Date() })
      .where(eq(notificationReplays.id, replay?.id as number));
    expect(await failureOf(delivery)).toMatchObject({ resolvedAt: null });
    await record(id, "success", new Date(Date.now() + 1000));
    expect(await failureOf(delivery)).toMatchObject({ resolution: "stored since" });
    const finishedAt = new Date(Date.now() + 2000);
    await db().insert(notificationReplays).values({
      targetKind: "delivery",
      targetId: delivery,
      transactionId: id,
      status: "applied",
      method: "stored-body",
      requestedBy: "test",
      finishedAt,
    });
    expect(await failureOf(delivery)).toMatchObject({ resolvedAt: finishedAt, resolution: "replayed" });
  });

  it("the screen pages through every open row once, newest first, the counts covering them all", async () => {
    // 120 refusals, ten sharing each of twelve milliseconds: the id orders the rows of one instant.
    const base = Date.parse("2026-04-01T00:00:00Z");
    for (let i = 0; i < 120; i++) {
      await deliver({
        outcome: "bad_signature",
        transactionId: `page-${kind}-${i}`,
        receivedAt: new Date(base + Math.floor(i / 10)),
      });
    }
    const seen: string[] = [];
    let before: string | undefined;
    let total = 0;
    for (let page = 0; page < 10; page++) {
      const list = await listFailed(
        db(),
        failedFiltersSchema.parse({ source: "console", httpCode: "401", before }),
      );
      total = list.total;
      seen.push(...list.rows.map((r) => r.key));
      if (!list.nextBefore) break;
      before = list.nextBefore;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    expect(total).toBeGreaterThanOrEqual(120);
  });

  it("an operator dismisses a row with a reason (shown, audited) and can undo it; a row not open cannot be", async () => {
    const delivery = await deliver({ outcome: "bad_signature", transactionId: txid() });
    const by = { actor: { kind: "system" as const }, label: "alice@example.test", address: null };
    await dismissFailure(
      db(),
      dismissSchema.parse({ kind: "delivery", id: delivery, reason: "forged, from a scanner" }),
      by,
    );
    expect(await failureOf(delivery)).toMatchObject({
      resolution: "dismissed by alice@example.test: forged, from a scanner",
    });
    const all = await listFailed(
      db(),
      failedFiltersSchema.parse({ state: "all", source: "console", limit: "500" }),
    );
    expect(all.rows.find((r) => r.target.id === delivery)).toMatchObject({ dismissed: true });
    await expect(
      dismissFailure(db(), dismissSchema.parse({ kind: "delivery", id: delivery, reason: "again" }), by),
    ).rejects.toMatchObject({ code: "conflict" });
    await undismissFailure(db(), { kind: "delivery", id: delivery, generation: 1 }, by);
    expect(await failureOf(delivery)).toMatchObject({ resolvedAt: null, resolution: null });
    // Only a dismissal is undone.
    await expect(
      undismissFailure(db(), { kind: "delivery", id: delivery, generation: 1 }, by),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    const acts = await db()
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, String(delivery)));
    expect(acts.map((a) => a.action).sort()).toEqual(["notification.dismiss", "notification.undismiss"]);
  });
});
