import { eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import {
  createDeposit,
  nextStepAt,
  PROJECT_MULTIPLIER,
  type SandboxContext,
  type SandboxDeposit,
  stepChanges,
} from "./engine";
import { sandboxDeposits, sandboxNotifications, sandboxSettings } from "./schema";
import { claimMarker, readMarker, SEEDED_DAYS } from "./switches";
import { CURRENCY_RATES, drawAmountUsd, drawScenario, fromUsd, pick, rng } from "./world";

/** The sandbox's traffic: the seeded history of a fresh start, and live deposits while live traffic is on. */

/** A new deposit with a random scenario, as if a player just opened the payment page. */
export async function createLiveDeposit(ctx: SandboxContext, now: Date): Promise<SandboxDeposit> {
  const random = rng(now.getTime() ^ Math.floor(Math.random() * 2 ** 31));
  const steamId = `7656119${String(8_000_000_000 + Math.floor(random() * 999_999_999)).padStart(10, "0")}`;
  return createDeposit(
    ctx,
    {
      orderId: `live-${now.getTime()}-${Math.floor(random() * 1e6)}`,
      steamId,
      currency: pick(random, Object.keys(CURRENCY_RATES)),
      scenario: drawScenario(random, { historyApprovals: false }),
      createdAt: now,
    },
    random,
  );
}

export const RECENT_TROUBLE_MS = 7 * 86_400_000;

/**
 * ~90 days of history, created once (the first instance to claim the marker): every status and fail reason,
 * holds still running for recent CS2 deposits, some of the last week's notifications sent to a failing endpoint. Everything reaches
 * the console through its real webhook path, newest first, by the delivery loop.
 */
export async function seedHistory(
  ctx: SandboxContext,
  now: Date,
  options: { deposits?: number; seed?: number } = {},
) {
  if (!(await claimMarker(ctx.db, "seeded", { at: now.toISOString() }))) return undefined;
  const count = options.deposits ?? 2400;
  const random = rng(options.seed ?? 20_261_121);
  const days = SEEDED_DAYS;
  const deposits: (typeof sandboxDeposits.$inferInsert)[] = [];
  const notifications: { index: number; status: DepositStatus; failing: boolean }[] = [];

  // Oldest first, so transaction ids grow with time as they do at SkinsBack (and delivery goes newest first).
  const times = Array.from({ length: count }, () => now.getTime() - random() * days * 86_400_000).sort(
    (a, b) => a - b,
  );
  for (let i = 0; i < count; i++) {
    const createdAt = new Date(times[i] as number);
    const scenario = drawScenario(random, { historyApprovals: true });
    const currency = pick(random, ["usd", "usd", "usd", "rub", "eur", "uah", "cny", "kzt", "brl"]);
    const amountUsd = drawAmountUsd(random);
    let row: SandboxDeposit = {
      transactionId: 0,
      orderId: `ord-${createdAt.getTime().toString(36)}-${i}`,
      steamId: `7656119${String(8_000_000_000 + Math.floor(random() * 999_999_999)).padStart(10, "0")}`,
      game: scenario.game,
      status: "pending",
      plan: scenario.plan,
      nextStepAt: null,
      holdFlow: scenario.holdFlow,
      currency,
      amount: fromUsd(amountUsd, currency),
      amountUsd,
      multiplier: PROJECT_MULTIPLIER,
      reason: scenario.reason ?? null,
      userRisk: null,
      resultUrl: null,
      tradeOfferId: null,
      createdAt,
      offerDate: null,
      skinsSentAt: null,
      inHoldUntil: null,
      updatedAt: now,
    };
    let at = createdAt;
    let step: DepositStatus = "pending";
    const plan = [...scenario.plan] as DepositStatus[];
    let applied: { status: DepositStatus; at: Date }[] = [];
    for (;;) {
      const next = nextStepAt(step, plan[0], row, at, random, "history");
      if (!next || next > now) {
        row = { ...row, plan, nextStepAt: next };
        break;
      }
      step = plan.shift() as DepositStatus;
      at = next;
      row = { ...row, ...stepChanges(row, step, at, random), status: step };
      applied = [...applied, { status: step, at }];
    }
    const { transactionId: _generated, ...insertable } = row;
    deposits.push(insertable);
    for (const { status, at: happenedAt } of applied.length > 0
      ? applied
      : [{ status: "pending" as DepositStatus, at: createdAt }]) {
      // The merchant's server had trouble this past week: some of that week's notifications were refused and
      // are in callback_error_list. Older history arrived fine, so it is settled on both sides.
      const failing = now.getTime() - happenedAt.getTime() < RECENT_TROUBLE_MS && random() < 0.15;
      notifications.push({ index: i, status, failing });
    }
  }

  const ids: number[] = [];
  for (let start = 0; start < deposits.length; start += 500) {
    const rows = await ctx.db
      .insert(sandboxDeposits)
      .values(deposits.slice(start, start + 500))
      .returning({ transactionId: sandboxDeposits.transactionId });
    ids.push(...rows.map((r) => r.transactionId));
  }
  for (let start = 0; start < notifications.length; start += 1000) {
    await ctx.db.insert(sandboxNotifications).values(
      notifications.slice(start, start + 1000).map((n) => ({
        transactionId: ids[n.index] as number,
        status: n.status,
        deliverAt: now,
        targetUrl: n.failing ? "failing" : null,
      })),
    );
  }
  await ctx.db
    .update(sandboxSettings)
    .set({ value: { at: now.toISOString(), notifications: notifications.length } satisfies SeedMarker })
    .where(eq(sandboxSettings.key, "seeded"));
  return { deposits: deposits.length, notifications: notifications.length };
}

export type SeedMarker = { at: string; notifications?: number };

export type SeedProgress = {
  /** Notifications the seed queued: every one is sent once, to the Result URL or (as planned) the failing one. */
  total: number;
  /** Accepted by the Result URL. */
  delivered: number;
  /** Sent to the failing endpoint as planned, or refused; listed in callback_error_list. */
  refused: number;
  done: boolean;
  seededAt: string;
};

/**
 * How far the seeded history has reached the console. Seeded notifications are the ones due at the seed's own
 * instant (live traffic is created later), so they are counted without a marker column.
 */
export async function readSeedProgress(db: Db): Promise<SeedProgress | undefined> {
  const value = (await readMarker(db, "seeded")) as SeedMarker | undefined;
  if (!value?.notifications) return undefined;
  const [row] = await db
    .select({
      total: sql<string>`count(*)`,
      delivered: sql<string>`count(*) filter (where ${sandboxNotifications.deliveredAt} is not null)`,
      refused: sql<string>`count(*) filter (where ${sandboxNotifications.failed})`,
    })
    .from(sandboxNotifications)
    .where(eq(sandboxNotifications.deliverAt, new Date(value.at)));
  const total = Number(row?.total ?? 0);
  const delivered = Number(row?.delivered ?? 0);
  const refused = Number(row?.refused ?? 0);
  return { total, delivered, refused, done: delivered + refused >= total, seededAt: value.at };
}
