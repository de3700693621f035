import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvents } from "@/lib/db/schema";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import {
  changeSwitches,
  DEFAULT_SWITCHES,
  FAST_LIVE_EVERY_MS,
  livePaceMs,
  readSwitches,
  sandboxSwitchesPatchSchema,
  updateSwitches,
} from "./switches";

describe.each(TEST_DATABASE_KINDS)("sandbox switches on %s", (kind) => {
  let database: TestDatabase;
  // A database each: every test starts from the default switches.
  beforeEach(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database?.drop();
  });

  it("a change touches only the switches it names", async () => {
    const { db } = database.handle;
    expect(await readSwitches(db)).toEqual(DEFAULT_SWITCHES);
    await updateSwitches(db, { liveTraffic: true, delayMs: 1500 });
    const saved = await updateSwitches(db, { duplicate: true });
    expect(saved).toEqual({ ...DEFAULT_SWITCHES, liveTraffic: true, delayMs: 1500, duplicate: true });
    expect(await readSwitches(db)).toEqual(saved);
  });

  it("an operator's change is in the audit log with what changed", async () => {
    const { db } = database.handle;
    const by = {
      actor: { kind: "operator", id: "op-s", email: "switcher@example.test" } as const,
      address: "127.0.0.5",
    };
    await changeSwitches(db, { silentLoss: true }, by);
    const [act] = await db.select().from(auditEvents).where(eq(auditEvents.action, "sandbox.switch"));
    expect(act).toMatchObject({ actorId: "op-s", address: "127.0.0.5", detail: { silentLoss: true } });
  });

  it("changes made at the same moment all survive", async () => {
    const { db } = database.handle;
    // Its own starting point: two switches already on, which the concurrent changes must not reset.
    await updateSwitches(db, { ...DEFAULT_SWITCHES, liveTraffic: true, duplicate: true });
    await Promise.all([
      updateSwitches(db, { outOfOrder: true }),
      updateSwitches(db, { encoding: "form" }),
      updateSwitches(db, { maintenance: true }),
      updateSwitches(db, { failResultUrl: true }),
    ]);
    expect(await readSwitches(db)).toEqual({
      ...DEFAULT_SWITCHES,
      outOfOrder: true,
      encoding: "form",
      maintenance: true,
      failResultUrl: true,
      liveTraffic: true,
      duplicate: true,
    });
  });
});

it("a patch with an unknown switch or a bad value is refused, and nothing is defaulted in", () => {
  expect(sandboxSwitchesPatchSchema.parse({ duplicate: true })).toEqual({ duplicate: true });
  expect(sandboxSwitchesPatchSchema.safeParse({ dupe: true }).success).toBe(false);
  expect(sandboxSwitchesPatchSchema.safeParse({ delayMs: -5 }).success).toBe(false);
});

it("live traffic comes at the seeded history's pace (one day of live looks like one seeded day); fast is demo pace", () => {
  const perDay = (ms: number) => Math.round(86_400_000 / ms);
  // 2,400 deposits over 90 days is about 27 a day: so is live traffic.
  expect(perDay(livePaceMs({ fastLiveTraffic: false }, 2_400))).toBe(27);
  expect(livePaceMs({ fastLiveTraffic: true }, 2_400)).toBe(FAST_LIVE_EVERY_MS);
  // Never faster than demo pace, whatever the seed.
  expect(livePaceMs({ fastLiveTraffic: false }, 100_000_000)).toBe(FAST_LIVE_EVERY_MS);
});
