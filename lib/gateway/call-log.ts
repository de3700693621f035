import { and, desc, eq, gt, lt, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { keysetPage } from "@/lib/db/keyset-page";
import { type ApiCall, apiCalls, apiRateBlocks, apiRateSlots } from "@/lib/db/schema";
import { CALL_OUTCOMES } from "@/lib/skinsback/call-outcome";
import { METHODS } from "@/lib/skinsback/methods";
import { SKINSBACK_CALLS_PER_MINUTE } from "./rate-budget";
import { DEFAULT_BUDGET_WINDOW_MS, projectBucket } from "./skinsback-gateway";

/** The API call log (every SkinsBack call through the client and the proxy) and the shared budget's use. */

export const callFiltersSchema = z.object({
  method: z.enum(Object.keys(METHODS) as [string, ...string[]]).optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CallFilters = z.infer<typeof callFiltersSchema>;

export async function listApiCalls(
  db: Db,
  filters: CallFilters,
): Promise<{ calls: ApiCall[]; nextBefore: number | null }> {
  const where: SQL[] = [];
  if (filters.method) where.push(eq(apiCalls.method, filters.method));
  if (filters.outcome) where.push(eq(apiCalls.outcome, filters.outcome));
  if (filters.before) where.push(lt(apiCalls.id, filters.before));
  const rows = await db
    .select()
    .from(apiCalls)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(apiCalls.id))
    .limit(filters.limit + 1);
  const page = keysetPage(rows, filters.limit);
  return { calls: page.rows, nextBefore: page.nextBefore };
}

export type BudgetUse = { used: number; limit: number; windowSeconds: number; blockedUntil: string | null };

/** Slots taken in the current window of the project's budget, and a -7 block if one is in force. */
export async function budgetUse(db: Db, clientId: string): Promise<BudgetUse> {
  const bucket = projectBucket(clientId);
  const windowSeconds = DEFAULT_BUDGET_WINDOW_MS / 1000;
  const [usage] = await db
    .select({ used: sql<number>`count(*)::int` })
    .from(apiRateSlots)
    .where(
      and(
        eq(apiRateSlots.bucket, bucket),
        gt(apiRateSlots.takenAt, sql`clock_timestamp() - make_interval(secs => ${windowSeconds})`),
      ),
    );
  const [block] = await db
    .select({ until: apiRateBlocks.blockedUntil })
    .from(apiRateBlocks)
    .where(and(eq(apiRateBlocks.bucket, bucket), gt(apiRateBlocks.blockedUntil, sql`clock_timestamp()`)));
  return {
    used: usage?.used ?? 0,
    limit: SKINSBACK_CALLS_PER_MINUTE,
    windowSeconds,
    blockedUntil: block?.until.toISOString() ?? null,
  };
}
