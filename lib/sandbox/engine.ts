import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { multiplyDecimal } from "@/lib/money/decimal";
import { DEPOSIT_STATUSES, type DepositStatus, MONEY_STATUSES } from "@/lib/skinsback/deposit-status";
import type { NotificationInput } from "@/lib/skinsback/notification-builder";
import { sandboxDeposits, sandboxNotifications } from "./schema";
import { isHidden, readSwitches, type SandboxSwitches } from "./switches";
import { drawAmountUsd, fromUsd, inAllCurrencies, riskBlock, rng, type Scenario } from "./world";

/**
 * The sandbox's SkinsBack side: deposits that live through their scenarios, and a notification outbox that
 * POSTs signed notifications to the merchant's Result URL. A notification the receiver does not accept (non-2xx,
 * timeout) is not retried; it lands in callback_error_list, as the SkinsBack docs describe.
 */

export type SandboxContext = {
  db: Db;
  clientId: string;
  clientSecret: string;
  /** The merchant's project-wide Result URL (a deposit's own result_url overrides it). */
  resultUrl: string;
  /** An endpoint that answers 500: where the failResultUrl switch and seeded failures send notifications. */
  failingResultUrl: string;
  /** Origins a deposit's own `result_url` may point at (config.sandbox.resultUrlOrigins). */
  resultUrlOrigins?: string[];
  /** Base of the payment-page URLs `create` hands out. */
  publicOrigin: string;
  deliveryTimeoutMs?: number;
};

export type SandboxDeposit = typeof sandboxDeposits.$inferSelect;

export const PROJECT_MULTIPLIER = "2";

const HOLD_MS = 8 * 86_400_000;

const unix = (d: Date | null | undefined) => (d ? Math.floor(d.getTime() / 1000) : undefined);

/** The deposit object as SkinsBack describes it (notification page; orderstatus and orders items). */
export function depositObject(d: SandboxDeposit, status: DepositStatus = d.status): NotificationInput {
  const money = MONEY_STATUSES.includes(status) && d.amount !== null && d.amountUsd !== null;
  // One exact computation, rounded once per currency: the user amount in the deposit's own currency is the same
  // figure its user_amount_in_currencies block carries for it.
  const userUsd = money ? multiplyDecimal(d.amountUsd as string, d.multiplier, 8) : "0";
  const userInCurrencies = inAllCurrencies(userUsd);
  const userAmount = money ? fromUsd(userUsd, d.currency) : undefined;
  const reached = status !== "pending";
  return {
    status,
    transaction_id: String(d.transactionId),
    order_id: d.orderId,
    steam_id: d.steamId,
    date: unix(d.createdAt),
    ...(money && {
      amount: d.amount as string,
      amount_currency: d.currency,
      amount_in_currencies: inAllCurrencies(d.amountUsd as string),
      user_amount: userAmount,
      user_amount_in_currencies: userInCurrencies,
      skins_send_date: unix(d.skinsSentAt),
    }),
    ...(reached && d.offerDate && { offer_date: unix(d.offerDate) }),
    ...(reached && d.tradeOfferId && { trade_offer_id: d.tradeOfferId }),
    ...(d.holdFlow &&
      d.inHoldUntil &&
      status !== "pending" &&
      status !== "fail" && { in_hold_until: unix(d.inHoldUntil) }),
    ...(status === "fail" && { reason: d.reason ?? "timeout" }),
    ...(status === "in_hold" && d.userRisk && { user_risk: d.userRisk }),
  };
}

type Pace = "live" | "history";

/** When the step after `step` happens. Live deposits move in seconds; holds last their real eight days. */
export function nextStepAt(
  step: DepositStatus,
  next: string | undefined,
  d: Pick<SandboxDeposit, "inHoldUntil">,
  at: Date,
  random: () => number,
  pace: Pace,
): Date | null {
  if (!next) return null;
  const ms = (from: number, to: number) => new Date(at.getTime() + from + random() * (to - from));
  if (step === "pending") return pace === "live" ? ms(5_000, 20_000) : ms(120_000, 1_800_000);
  if (step === "in_hold" && next === "hold_approved") return ms(3_600_000, 3 * 86_400_000);
  if (next === "fail" || next === "hold_returned") {
    // A trade can only be reversed while Steam's protection lasts: never after the hold's end.
    const reversal = ms(86_400_000, 7 * 86_400_000);
    return d.inHoldUntil && d.inHoldUntil < reversal ? d.inHoldUntil : reversal;
  }
  return d.inHoldUntil ?? new Date(at.getTime() + HOLD_MS);
}

/** The fields a step sets on the deposit when it happens at `at`. */
export function stepChanges(
  d: SandboxDeposit,
  step: DepositStatus,
  at: Date,
  random: () => number,
): Partial<SandboxDeposit> {
  // The trade offer goes out after the deposit was created and 40 s to 4 min before the skins arrive; a deposit
  // that moved faster than that had its offer made in between. So date <= offer_date <= skins_send_date.
  const offerAt = Math.max(
    at.getTime() - 40_000 - Math.floor(random() * 200_000),
    d.createdAt.getTime() + Math.floor((at.getTime() - d.createdAt.getTime()) * 0.3),
  );
  const tradeFields = {
    offerDate: new Date(offerAt),
    tradeOfferId: String(7_000_000_000 + Math.floor(random() * 999_999_999)),
    skinsSentAt: at,
  };
  switch (step) {
    case "in_hold":
      return {
        ...tradeFields,
        inHoldUntil: new Date(at.getTime() + HOLD_MS),
        userRisk: riskBlock(random, at),
      };
    case "success":
      return d.skinsSentAt ? {} : tradeFields;
    case "fail":
      return d.offerDate || d.reason === "timeout"
        ? {}
        : { offerDate: tradeFields.offerDate, tradeOfferId: tradeFields.tradeOfferId };
    default:
      return {};
  }
}

export type NewSandboxDeposit = {
  orderId: string;
  steamId: string;
  currency: string;
  scenario: Scenario;
  createdAt: Date;
  amountUsd?: string;
  multiplier?: string;
  resultUrl?: string;
};

/** A new pending deposit; its `pending` notification is sent shortly, its next step is scheduled. */
export async function createDeposit(
  ctx: SandboxContext,
  input: NewSandboxDeposit,
  random: () => number,
): Promise<SandboxDeposit> {
  const amountUsd = input.amountUsd ?? drawAmountUsd(random);
  const next = input.scenario.plan[0];
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(sandboxDeposits)
      .values({
        orderId: input.orderId,
        steamId: input.steamId,
        game: input.scenario.game,
        status: "pending",
        plan: input.scenario.plan,
        holdFlow: input.scenario.holdFlow,
        currency: input.currency,
        amountUsd,
        amount: fromUsd(amountUsd, input.currency),
        multiplier: input.multiplier ?? PROJECT_MULTIPLIER,
        reason: input.scenario.reason,
        resultUrl: input.resultUrl,
        createdAt: input.createdAt,
        nextStepAt: nextStepAt("pending", next, { inHoldUntil: null }, input.createdAt, random, "live"),
      })
      .returning();
    if (!row) throw new Error("sandbox deposit insert returned nothing");
    const switches = await readSwitches(tx as Db);
    await enqueue(
      tx as Db,
      switches,
      row,
      "pending",
      new Date(input.createdAt.getTime() + 1_000),
      row.nextStepAt,
    );
    return row;
  });
}

/** Queues a notification, applying the fault switches. */
async function enqueue(
  db: Db,
  switches: SandboxSwitches,
  d: SandboxDeposit,
  status: DepositStatus,
  at: Date,
  nextAt: Date | null,
) {
  // Drift: the status changed at SkinsBack and nobody is told (a deposit's first status is always notified).
  if (
    switches.drift &&
    status !== "pending" &&
    isHidden(d.transactionId * 8 + DEPOSIT_STATUSES.indexOf(status))
  )
    return;
  let deliverAt = at.getTime() + switches.delayMs;
  // Out of order: held back until after the next status's notification.
  if (switches.outOfOrder && nextAt)
    deliverAt = Math.max(deliverAt, nextAt.getTime() + switches.delayMs + 2_000);
  const row = {
    transactionId: d.transactionId,
    status,
    deliverAt: new Date(deliverAt),
    targetUrl: switches.failResultUrl ? "failing" : null,
  };
  await db.insert(sandboxNotifications).values(switches.duplicate ? [row, row] : [row]);
}

/** Moves every deposit whose next step is due; returns how many moved. */
export async function advanceDue(ctx: SandboxContext, now: Date, limit = 200): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(sandboxDeposits)
      .where(lte(sandboxDeposits.nextStepAt, now))
      .orderBy(asc(sandboxDeposits.nextStepAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return 0;
    const switches = await readSwitches(tx as Db);
    for (const d of due) {
      const [step, ...rest] = d.plan as DepositStatus[];
      if (!step) continue;
      const at = d.nextStepAt ?? now;
      const random = rng(d.transactionId ^ at.getTime());
      const changes = stepChanges(d, step, at, random);
      const moved = { ...d, ...changes, status: step };
      const nextAt = nextStepAt(step, rest[0], moved, at, random, "live");
      await tx
        .update(sandboxDeposits)
        .set({ ...changes, status: step, plan: rest, nextStepAt: nextAt, updatedAt: now })
        .where(eq(sandboxDeposits.transactionId, d.transactionId));
      await enqueue(tx as Db, switches, moved, step, at < now ? now : at, nextAt);
    }
    return due.length;
  });
}

/** offer_approve: an in_hold deposit becomes hold_approved now; it ends at its hold's end (or is returned). */
export async function approveHold(ctx: SandboxContext, d: SandboxDeposit, now: Date): Promise<void> {
  const random = rng(d.transactionId);
  const returned = d.plan.includes("fail") || random() < 0.1;
  const plan = [returned ? "hold_returned" : "success"];
  const nextAt = returned
    ? new Date(
        now.getTime() +
          Math.min(
            86_400_000 + random() * 6 * 86_400_000,
            Math.max(60_000, (d.inHoldUntil?.getTime() ?? now.getTime()) - now.getTime()),
          ),
      )
    : (d.inHoldUntil ?? new Date(now.getTime() + HOLD_MS));
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(sandboxDeposits)
      .set({ status: "hold_approved", plan, nextStepAt: nextAt, updatedAt: now })
      .where(and(eq(sandboxDeposits.transactionId, d.transactionId), eq(sandboxDeposits.status, "in_hold")));
    await enqueue(
      tx as Db,
      await readSwitches(tx as Db),
      { ...d, status: "hold_approved" },
      "hold_approved",
      now,
      nextAt,
    );
  });
}

/**
 * The player reverses the trade of an approved deposit now (Steam's trade protection): hold_approved →
 * hold_returned, notified at once. For demos and tests of the exposure board; false when it is not hold_approved.
 */
export async function reverseHold(ctx: SandboxContext, transactionId: number, now: Date): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(sandboxDeposits)
      .set({ status: "hold_returned", plan: [], nextStepAt: null, updatedAt: now })
      .where(
        and(eq(sandboxDeposits.transactionId, transactionId), eq(sandboxDeposits.status, "hold_approved")),
      )
      .returning();
    if (!moved) return false;
    await enqueue(tx as Db, await readSwitches(tx as Db), moved, "hold_returned", now, null);
    return true;
  });
}
