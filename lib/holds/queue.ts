import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { deposits, holdApprovals, playerTotals } from "@/lib/db/schema";
import { compareDecimal } from "@/lib/money/decimal";
import {
  assessRisk,
  type MerchantHistory,
  NO_HISTORY,
  RISK_LEVELS,
  type RiskAssessment,
} from "@/lib/risk/assessment";
import { readSetting } from "@/lib/settings";
import { depositUsd } from "./usd";

const amountText = z.string().regex(/^\d{1,12}(\.\d{1,8})?$/, "must be an amount, e.g. 10.50");

/** The queue's filters, in the URL. */
export const holdQueueFiltersSchema = z.object({
  level: z.enum(RISK_LEVELS, "must be low, medium or high").optional(),
  min: amountText.optional(),
  max: amountText.optional(),
});
export type HoldQueueFilters = z.infer<typeof holdQueueFiltersSchema>;

export type HeldDeposit = {
  transactionId: string;
  orderId: string;
  steamId: string | null;
  amount: string | null;
  currency: string | null;
  /** SkinsBack's own USD figure (unsigned), for caps and comparisons across currencies. */
  amountUsd: string | null;
  userAmount: string | null;
  createdAt: string;
  inHoldUntil: string | null;
  assessment: RiskAssessment;
  history: MerchantHistory;
  /** An approval already asked for (being sent, or failed and open to a retry). */
  approval: { state: string; by: string; at: string; message: string | null } | null;
};

/** How many held deposits the queue shows at once, soonest-ending first. */
export const HOLD_QUEUE_LIMIT = 200;

/**
 * `in_hold` deposits, soonest-ending first (deposits_in_hold_until_idx), each assessed with the current thresholds
 * and this merchant's own history with the player. The level is computed here, so the level filter applies after
 * the query (the queue is hundreds of deposits, not millions).
 */
export async function readHoldQueue(
  db: Db,
  filters: HoldQueueFilters,
  now = new Date(),
): Promise<HeldDeposit[]> {
  const where: SQL[] = [eq(deposits.status, "in_hold")];
  if (filters.min) where.push(sql`${deposits.amount} >= ${filters.min}::numeric`);
  if (filters.max) where.push(sql`${deposits.amount} <= ${filters.max}::numeric`);
  const [rows, thresholds] = await Promise.all([
    db
      .select({
        transactionId: deposits.transactionId,
        orderId: deposits.orderId,
        steamId: deposits.steamId,
        amount: deposits.amount,
        currency: deposits.amountCurrency,
        amountUsd: sql<string | null>`(${depositUsd})::text`,
        userAmount: deposits.userAmount,
        createdAt: deposits.createdAt,
        inHoldUntil: deposits.inHoldUntil,
        userRisk: deposits.userRisk,
        approval: {
          state: holdApprovals.state,
          by: holdApprovals.operatorEmail,
          at: holdApprovals.requestedAt,
          message: holdApprovals.message,
        },
      })
      .from(deposits)
      .leftJoin(holdApprovals, eq(holdApprovals.transactionId, deposits.transactionId))
      .where(and(...where))
      .orderBy(asc(deposits.inHoldUntil), asc(deposits.transactionId))
      .limit(HOLD_QUEUE_LIMIT),
    readSetting(db, "risk.thresholds"),
  ]);
  const histories = await merchantHistories(
    db,
    rows.map((r) => r.steamId).filter((id): id is string => id !== null),
  );
  const held = rows.map((r): HeldDeposit => {
    // The player's history with this shop counts this deposit too (the card says so).
    const history = (r.steamId && histories.get(r.steamId)) || NO_HISTORY;
    return {
      transactionId: r.transactionId,
      orderId: r.orderId,
      steamId: r.steamId,
      amount: r.amount,
      currency: r.currency,
      amountUsd: r.amountUsd,
      userAmount: r.userAmount,
      createdAt: r.createdAt.toISOString(),
      inHoldUntil: r.inHoldUntil?.toISOString() ?? null,
      assessment: assessRisk({ userRisk: r.userRisk, history, now }, thresholds),
      history,
      approval: r.approval?.state
        ? {
            state: r.approval.state,
            by: r.approval.by,
            at: r.approval.at.toISOString(),
            message: r.approval.message,
          }
        : null,
    };
  });
  return filters.level ? held.filter((h) => h.assessment.level === filters.level) : held;
}

/**
 * This merchant's deposits by each Steam id: how many, how many succeeded or were returned, money exposed now —
 * from player_totals (drizzle/0018), one row per player, whatever the player's history.
 */
export async function merchantHistories(db: Db, steamIds: string[]): Promise<Map<string, MerchantHistory>> {
  const ids = [...new Set(steamIds)];
  const map = new Map<string, MerchantHistory>();
  if (ids.length === 0) return map;
  const rows = await db.select().from(playerTotals).where(inArray(playerTotals.steamId, ids));
  for (const row of rows) {
    map.set(row.steamId, {
      ...NO_HISTORY,
      deposits: row.deposits,
      successes: row.successes,
      holdsReturned: row.returned,
      exposed: Object.entries(row.exposedAmounts)
        .filter(([currency, amount]) => currency !== "" && compareDecimal(amount, "0") !== 0)
        .map(([currency, amount]) => ({ currency, amount })),
    });
  }
  return map;
}
