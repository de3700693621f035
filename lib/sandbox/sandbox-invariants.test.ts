import { and, eq, lt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deposits } from "@/lib/db/schema";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { advanceDue, approveHold, type SandboxContext, type SandboxDeposit } from "./engine";
import { deliverDue } from "./outbox";
import { sandboxCallbackErrors, sandboxDeposits } from "./schema";
import { createLiveDeposit, readSeedProgress, seedHistory } from "./seed";
import { updateSwitches } from "./switches";

const DAY = 86_400_000;

/** What SkinsBack would never produce: a trade before its deposit, skins before their offer, a hold past its end. */
function timeOrderViolations(d: SandboxDeposit): string[] {
  const problems: string[] = [];
  const chain: [string, Date | null][] = [
    ["date", d.createdAt],
    ["offer_date", d.offerDate],
    ["skins_send_date", d.skinsSentAt],
    ["in_hold_until", d.inHoldUntil],
  ];
  const present = chain.filter((entry): entry is [string, Date] => entry[1] !== null);
  for (let i = 1; i < present.length; i++) {
    const [earlierName, earlier] = present[i - 1] as [string, Date];
    const [laterName, later] = present[i] as [string, Date];
    if (later < earlier) problems.push(`${d.transactionId}: ${laterName} before ${earlierName}`);
  }
  return problems;
}

function heldPastEnd(rows: SandboxDeposit[], now: Date): SandboxDeposit[] {
  return rows.filter(
    (d) => (d.status === "in_hold" || d.status === "hold_approved") && d.inHoldUntil && d.inHoldUntil < now,
  );
}

function contextFor(db: SandboxContext["db"]): SandboxContext {
  return {
    db,
    clientId: "1490",
    clientSecret: "XCvlP45Y2dH2UmHhk",
    resultUrl: "http://127.0.0.1:9/unused",
    failingResultUrl: "http://127.0.0.1:9/unused",
    publicOrigin: "http://127.0.0.1:9",
  };
}

describe("the sandbox's data is data SkinsBack could produce", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("seeded history: date <= offer_date <= skins_send_date <= in_hold_until, no hold left past its end", async () => {
    const ctx = contextFor(database.handle.db);
    const now = new Date("2026-11-20T12:00:00Z");
    expect(await seedHistory(ctx, now, { deposits: 2400 })).toMatchObject({ deposits: 2400 });
    const rows = await ctx.db.select().from(sandboxDeposits);
    expect(rows).toHaveLength(2400);
    expect(rows.flatMap(timeOrderViolations)).toEqual([]);
    expect(heldPastEnd(rows, now).map((d) => d.transactionId)).toEqual([]);
    // The history has holds still running, holds settled both ways, and offers made.
    expect(rows.filter((d) => d.status === "in_hold").length).toBeGreaterThan(20);
    expect(rows.filter((d) => d.status === "hold_returned").length).toBeGreaterThan(0);
    expect(rows.filter((d) => d.offerDate !== null).length).toBeGreaterThan(1000);
  });

  it("live deposits stepped through nine days keep time order, and every hold ends on time", async () => {
    const ctx = contextFor(database.handle.db);
    const start = new Date("2026-12-01T00:00:00Z");
    for (let i = 0; i < 150; i++) await createLiveDeposit(ctx, new Date(start.getTime() + i * 1_000));
    const liveIds = (await ctx.db.select().from(sandboxDeposits))
      .filter((d) => d.orderId.startsWith("live-"))
      .map((d) => d.transactionId);
    expect(liveIds).toHaveLength(150);
    const live = async () =>
      (await ctx.db.select().from(sandboxDeposits)).filter((d) => liveIds.includes(d.transactionId));

    let approved = 0;
    for (
      let t = start.getTime();
      t <= start.getTime() + 9 * DAY;
      t += t < start.getTime() + 60_000 ? 5_000 : DAY / 8
    ) {
      const now = new Date(t);
      for (let round = 0; round < 100 && (await advanceDue(ctx, now)) > 0; round++) {} // bounded
      const rows = await live();
      expect(rows.flatMap(timeOrderViolations)).toEqual([]);
      expect(heldPastEnd(rows, now).map((d) => d.transactionId)).toEqual([]);
      // Approve a few holds early (offer_approve): their return, if any, must also come within the hold.
      for (const d of rows.filter((r) => r.status === "in_hold").slice(0, 2)) {
        await approveHold(ctx, d, now);
        approved += 1;
      }
    }
    const final = await live();
    expect(approved).toBeGreaterThan(0);
    expect(final.filter((d) => d.status === "pending" || d.status === "in_hold")).toEqual([]);
    expect(new Set(final.map((d) => d.status))).toEqual(
      new Set([
        "success",
        "fail",
        ...(final.some((d) => d.status === "hold_returned") ? ["hold_returned"] : []),
      ]),
    );
  });
});

describe("seeded history reaches the console", () => {
  let sandboxDb: TestDatabase;
  let consoleDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  beforeAll(async () => {
    [sandboxDb, consoleDb] = await Promise.all([openTestDatabase("pglite"), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([sandboxDb?.drop(), consoleDb?.drop()]);
  });

  it("progress counts up to done, and every hold the console still shows past its end is a listed failure", async () => {
    const { ctx } = harness;
    const now = new Date();
    const seeded = await seedHistory(ctx, now, { deposits: 600 });
    expect(seeded).toBeDefined();
    const total = seeded?.notifications ?? 0;
    expect(await readSeedProgress(ctx.db)).toMatchObject({ total, delivered: 0, refused: 0, done: false });

    const first = await deliverDue(ctx, now, 100);
    const partial = await readSeedProgress(ctx.db);
    expect(partial).toMatchObject({ total, done: false });
    expect((partial?.delivered ?? 0) + (partial?.refused ?? 0)).toBe(first.sent);
    for (let round = 0; round < 100 && (await deliverDue(ctx, now, 100)).sent > 0; round++) {} // bounded
    const done = await readSeedProgress(ctx.db);
    expect(done).toMatchObject({ total, done: true });
    expect(done?.refused).toBeGreaterThan(0); // some of the last week's notifications fail on purpose
    expect((done?.delivered ?? 0) + (done?.refused ?? 0)).toBe(total);

    // The console's side: a hold shown past its end is explained by a notification SkinsBack lists as failed.
    const stale = await consoleDb.handle.db
      .select({ transactionId: deposits.transactionId })
      .from(deposits)
      .where(and(eq(deposits.status, "in_hold"), lt(deposits.inHoldUntil, now)));
    const listed = new Set(
      (await ctx.db.select().from(sandboxCallbackErrors)).map((e) => String(e.transactionId)),
    );
    expect(stale.filter((d) => !listed.has(d.transactionId))).toEqual([]);
  });

  it("held notifications: nothing reaches the Result URL while the switch is on, all of it after", async () => {
    const { ctx } = harness;
    const now = new Date();
    await updateSwitches(ctx.db, { holdNotifications: true });
    const d = await createLiveDeposit(ctx, now);
    const later = new Date(now.getTime() + 60_000);
    expect(await deliverDue(ctx, later, 100)).toEqual({ sent: 0, accepted: 0, failed: 0 });
    const stored = () =>
      consoleDb.handle.db
        .select({ status: deposits.status })
        .from(deposits)
        .where(eq(deposits.transactionId, String(d.transactionId)));
    expect(await stored()).toEqual([]);

    await updateSwitches(ctx.db, { holdNotifications: false });
    expect((await deliverDue(ctx, later, 100)).accepted).toBeGreaterThan(0);
    expect(await stored()).toEqual([{ status: "pending" }]);
  });
});
