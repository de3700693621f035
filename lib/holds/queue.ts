import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { decodeCursor, encodeCursor } from "@/lib/db/keyset-cursor";
import { deposits, holdApprovals, playerTotals } from "@/lib/db/schema";
import { amountText } from "@/lib/money/amount";
import { compareDecimal } from "@/lib/money/decimal";
import {
  assessRisk,
  type MerchantHistory,
  NO_HISTORY,
  RISK_LEVELS,
  type RiskAssessment,
  type RiskThresholds,
} from "@/lib/risk/assessment";
import { RISK_THRESHOLDS_SETTING } from "@/lib/risk/settings";
import { readSetting } from "@/lib/settings/store";
import { signedUsd } from "./usd";

const filterAmount = amountText("must be an amount, e.g. 10.50");

/** The queue's filters, in the URL. */
export const holdQueueFiltersSchema = z.object({
  level: z.enum(RISK_LEVELS, "must be low, medium or high").optional(),
  min: filterAmount.optional(),
  max: filterAmount.optional(),
  /** The page after this cursor (`nextCursor` of the page before). */
  after: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, "must be a cursor from the previous page")
    .optional(),
});
export type HoldQueueFilters = z.infer<typeof holdQueueFiltersSchema>;

export type HeldDeposit = {
  transactionId: string;
  orderId: string;
  steamId: string | null;
  amount: string | null;
  currency: string | null;
  /** The signed amount in USD at SkinsBack's rate as the console read it (lib/holds/rates.ts); null without one. */
  amountUsd: string | null;
  /** When that rate was read (null for USD deposits and when there is none). */
  usdRateAt: string | null;
  userAmount: string | null;
  createdAt: string;
  inHoldUntil: string | null;
  assessment: RiskAssessment;
  history: MerchantHistory;
  /** An approval already asked for (being sent, or failed and open to a retry). */
  approval: { state: string; by: string; at: string; message: string | null } | null;
};

/** How many held deposits a page of the queue shows, soonest-ending first. */
export const HOLD_QUEUE_PAGE = 50;
/** Rows read per round while the level filter (computed here, after the query) fills a page; 10 rounds at most. */
const LEVEL_ROUND = 100;

type Cursor = { until: string | null; id: string };

const timestamp = z.string().refine((t) => !Number.isNaN(Date.parse(t)));
const cursorSchema = z
  .tuple([timestamp.nullable(), z.string().max(64)])
  .transform(([until, id]) => ({ until, id }));

/** Soonest-ending first; a hold without an end date comes last (ASC puts NULLs last), then by id. */
function afterCursor(c: Cursor): SQL {
  return c.until === null
    ? sql`(${deposits.inHoldUntil} is null and ${deposits.transactionId} > ${c.id})`
    : sql`((${deposits.inHoldUntil}, ${deposits.transactionId}) > (${c.until}::timestamptz, ${c.id})
           or ${deposits.inHoldUntil} is null)`;
}

/**
 * A page of `in_hold` deposits, soonest-ending first (deposits_in_hold_until_idx), each assessed with the current
 * thresholds and this merchant's own history with the player (player_totals). The level is computed here, so the
 * level filter applies after the query: rounds of LEVEL_ROUND rows are read until the page is full.
 */
export async function readHoldQueue(
  db: Db,
  filters: HoldQueueFilters,
  now = new Date(),
): Promise<{ items: HeldDeposit[]; nextCursor: string | null }> {
  const thresholds = await readSetting(db, RISK_THRESHOLDS_SETTING);
  const want = filters.level ? LEVEL_ROUND : HOLD_QUEUE_PAGE + 1;
  const items: HeldDeposit[] = [];
  let cursor: Cursor | null = decodeCursor(filters.after, cursorSchema);
  for (let round = 0; round < 10; round++) {
    const rows = await heldRows(db, filters, cursor, want);
    for (const held of await assess(db, rows, thresholds, now)) {
      cursor = cursorOf(held);
      if (filters.level && held.assessment.level !== filters.level) continue;
      // One more match exists: the next page starts after this page's last row.
      if (items.length === HOLD_QUEUE_PAGE) {
        return { items, nextCursor: cursorText(cursorOf(items.at(-1) as HeldDeposit)) };
      }
      items.push(held);
    }
    if (rows.length < want) return { items, nextCursor: null };
  }
  // Ten rounds read without filling the page: the next page goes on from the last row read.
  return { items, nextCursor: cursor ? cursorText(cursor) : null };
}

const cursorOf = (h: HeldDeposit): Cursor => ({ until: h.inHoldUntil, id: h.transactionId });
const cursorText = (c: Cursor) => encodeCursor([c.until, c.id]);

async function heldRows(db: Db, filters: HoldQueueFilters, cursor: Cursor | null, limit: number) {
  const where: SQL[] = [eq(deposits.status, "in_hold")];
  if (filters.min) where.push(sql`${deposits.amount} >= ${filters.min}::numeric`);
  if (filters.max) where.push(sql`${deposits.amount} <= ${filters.max}::numeric`);
  if (cursor) where.push(afterCursor(cursor));
  return db
    .select({
      transactionId: deposits.transactionId,
      orderId: deposits.orderId,
      steamId: deposits.steamId,
      amount: deposits.amount,
      currency: deposits.amountCurrency,
      amountUsd: sql<string | null>`(${signedUsd})::text`,
      usdRateAt: sql<
        Date | string | null
      >`(select fetched_at from currency_rates r where r.code = lower(${deposits.amountCurrency}) and r.code <> 'usd')`,
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
    .limit(limit);
}

async function assess(
  db: Db,
  rows: Awaited<ReturnType<typeof heldRows>>,
  thresholds: RiskThresholds,
  now: Date,
): Promise<HeldDeposit[]> {
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
      usdRateAt: r.usdRateAt ? new Date(r.usdRateAt).toISOString() : null,
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
  return held;
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
