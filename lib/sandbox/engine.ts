import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { multiplyDecimal } from "@/lib/money/decimal";
import { type DepositStatus, MONEY_STATUSES } from "@/lib/skinsback/deposit-status";
import {
  encodeNotification,
  type NotificationInput,
  notificationHeaders,
  signNotification,
} from "@/lib/skinsback/notification-builder";
import { sandboxCallbackErrors, sandboxDeposits, sandboxNotifications, sandboxSettings } from "./schema";
import { claimMarker, readMarker, readSwitches, type SandboxSwitches } from "./switches";
import {
  CURRENCY_RATES,
  drawAmountUsd,
  drawScenario,
  fromUsd,
  inAllCurrencies,
  pick,
  riskBlock,
  rng,
  type Scenario,
} from "./world";

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
  const userAmount = money ? multiplyDecimal(d.amount as string, d.multiplier) : undefined;
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
      user_amount_in_currencies: inAllCurrencies(multiplyDecimal(d.amountUsd as string, d.multiplier)),
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
function nextStepAt(
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
function stepChanges(
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

export type DeliveryReport = { sent: number; accepted: number; failed: number };

/**
 * Sends due notifications. Claims are taken with SKIP LOCKED and expire, so several instances can run this
 * without sending one notification twice, and a crashed sender's claims are picked up again.
 */
export async function deliverDue(
  ctx: SandboxContext,
  now: Date,
  limit = 100,
  concurrency = 8,
): Promise<DeliveryReport> {
  const claimed = await ctx.db.transaction(async (tx) => {
    const ids = await tx
      .select({ id: sandboxNotifications.id })
      .from(sandboxNotifications)
      .where(
        and(
          isNull(sandboxNotifications.deliveredAt),
          eq(sandboxNotifications.failed, false),
          lte(sandboxNotifications.deliverAt, now),
          or(isNull(sandboxNotifications.claimedUntil), lte(sandboxNotifications.claimedUntil, now)),
        ),
      )
      .orderBy(
        asc(sandboxNotifications.deliverAt),
        desc(sandboxNotifications.transactionId),
        asc(sandboxNotifications.id),
      )
      .limit(limit)
      .for("update", { skipLocked: true });
    if (ids.length === 0) return [];
    return tx
      .update(sandboxNotifications)
      .set({
        claimedUntil: new Date(now.getTime() + 60_000),
        attempts: sql`${sandboxNotifications.attempts} + 1`,
      })
      .where(
        inArray(
          sandboxNotifications.id,
          ids.map((r) => r.id),
        ),
      )
      .returning();
  });
  if (claimed.length === 0) return { sent: 0, accepted: 0, failed: 0 };

  claimed.sort(
    (a, b) =>
      a.deliverAt.getTime() - b.deliverAt.getTime() || b.transactionId - a.transactionId || a.id - b.id,
  );
  const deposits = await ctx.db
    .select()
    .from(sandboxDeposits)
    .where(inArray(sandboxDeposits.transactionId, [...new Set(claimed.map((n) => n.transactionId))]));
  const byId = new Map(deposits.map((d) => [d.transactionId, d]));
  const switches = await readSwitches(ctx.db);

  // Notifications of one deposit go out one after another, in queue order; different deposits in parallel.
  const lanes = new Map<number, typeof claimed>();
  for (const n of claimed) lanes.set(n.transactionId, [...(lanes.get(n.transactionId) ?? []), n]);
  const queue = [...lanes.values()];
  const outcomes: { id: number; deposit: SandboxDeposit; httpCode: string; ok: boolean }[] = [];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const n of lane) {
        const d = byId.get(n.transactionId);
        if (!d) continue;
        const url = n.targetUrl === "failing" ? ctx.failingResultUrl : (d.resultUrl ?? ctx.resultUrl);
        const httpCode = await post(ctx, url, depositObject(d, n.status), switches.encoding);
        outcomes.push({ id: n.id, deposit: d, httpCode, ok: /^2\d\d$/.test(httpCode) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  // The outcomes of the whole batch in one transaction: one write per batch rather than per notification keeps
  // a first start's thousands of deliveries quick on the single-connection embedded database. A crash before
  // this commit leaves the claims to expire and the batch is sent again, which the receiver records as duplicates.
  const accepted = outcomes.filter((o) => o.ok);
  const refused = outcomes.filter((o) => !o.ok);
  await ctx.db.transaction(async (tx) => {
    // Usually one statement for all accepted and one for all refused: grouped by what the Result URL answered.
    for (const key of new Set(outcomes.map((o) => `${o.ok}:${o.httpCode}`))) {
      const group = outcomes.filter((o) => `${o.ok}:${o.httpCode}` === key);
      const { ok, httpCode } = group[0] as (typeof outcomes)[number];
      await tx
        .update(sandboxNotifications)
        .set(
          ok ? { deliveredAt: new Date(), lastHttpCode: httpCode } : { failed: true, lastHttpCode: httpCode },
        )
        .where(
          inArray(
            sandboxNotifications.id,
            group.map((o) => o.id),
          ),
        );
    }
    if (refused.length > 0) {
      await tx.insert(sandboxCallbackErrors).values(
        refused.map((o) => ({
          transactionId: o.deposit.transactionId,
          orderId: o.deposit.orderId,
          httpCode: o.httpCode,
        })),
      );
    }
  });
  return { sent: outcomes.length, accepted: accepted.length, failed: refused.length };
}

/** One signed POST to the Result URL; the HTTP status as text, "0" when there was no answer. */
async function post(
  ctx: SandboxContext,
  url: string,
  input: NotificationInput,
  encoding: "json" | "form",
): Promise<string> {
  const fields = signNotification(input, ctx.clientSecret);
  const { body, contentType } = encodeNotification(fields, encoding);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        ...notificationHeaders(ctx.clientId, ctx.clientSecret, contentType),
        "user-agent": "SkinsBack-Sandbox/1.0",
      },
      body,
      signal: AbortSignal.timeout(ctx.deliveryTimeoutMs ?? 10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    return String(response.status);
  } catch {
    return "0";
  }
}

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

const RECENT_TROUBLE_MS = 7 * 86_400_000;

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
  const days = 90;
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

type SeedMarker = { at: string; notifications?: number };

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
