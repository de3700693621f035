import { and, eq, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { apiRateBlocks, apiRateSlots } from "@/lib/db/schema";
import type { RateBudget } from "@/lib/skinsback/client";

export const SKINSBACK_CALLS_PER_MINUTE = 500;

type Grant = { granted: true } | { granted: false; retryAfterMs: number };

/**
 * Where the budget reads the time and how it waits. Production uses the database clock, so every instance agrees
 * on one window whatever its own clock says; tests pass a manual clock so a window can be stepped through exactly
 * (a 2-core CI machine is too noisy for windows measured in wall-clock milliseconds).
 */
export type RateBudgetClock = { now(): Date; sleep(ms: number): Promise<void> };

/**
 * A rolling-window budget shared through the database by every instance and process: a call may be sent when
 * fewer than `limit` calls were sent in the last `windowMs` and no block is in force. Each decision holds a
 * transaction-scoped advisory lock on the bucket, so two instances never both take the last slot.
 */
export function createRateBudget(
  db: Db,
  options: { bucket: string; limit?: number; windowMs?: number; pollMs?: number; clock?: RateBudgetClock },
): RateBudget & { tryAcquire(): Promise<Grant> } {
  const limit = options.limit ?? SKINSBACK_CALLS_PER_MINUTE;
  const windowMs = options.windowMs ?? 60_000;
  const windowSeconds = windowMs / 1000;
  const lockKey = `skinsback-rate:${options.bucket}`;
  const { clock } = options;
  const nowSql = (): SQL => (clock ? sql`${clock.now().toISOString()}::timestamptz` : sql`clock_timestamp()`);
  const localNow = () => (clock ? clock.now().getTime() : Date.now());
  const sleep = (ms: number) => (clock ? clock.sleep(ms) : new Promise<void>((r) => setTimeout(r, ms)));

  async function tryAcquire(): Promise<Grant> {
    const now = nowSql();
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`);
      await tx
        .delete(apiRateSlots)
        .where(
          and(
            eq(apiRateSlots.bucket, options.bucket),
            lt(apiRateSlots.takenAt, sql`${now} - make_interval(secs => ${windowSeconds})`),
          ),
        );
      const [block] = await tx
        .select({
          waitMs: sql<string>`ceil(extract(epoch from (${apiRateBlocks.blockedUntil} - ${now})) * 1000)`,
        })
        .from(apiRateBlocks)
        .where(and(eq(apiRateBlocks.bucket, options.bucket), sql`${apiRateBlocks.blockedUntil} > ${now}`));
      if (block) return { granted: false, retryAfterMs: Number(block.waitMs) };

      const [usage] = await tx
        .select({
          used: sql<string>`count(*)`,
          waitMs: sql<
            string | null
          >`ceil(extract(epoch from (min(${apiRateSlots.takenAt}) + make_interval(secs => ${windowSeconds}) - ${now})) * 1000)`,
        })
        .from(apiRateSlots)
        .where(
          and(
            eq(apiRateSlots.bucket, options.bucket),
            sql`${apiRateSlots.takenAt} > ${now} - make_interval(secs => ${windowSeconds})`,
          ),
        );
      if (Number(usage?.used ?? 0) >= limit) {
        return { granted: false, retryAfterMs: Math.max(1, Number(usage?.waitMs ?? windowMs)) };
      }
      await tx.insert(apiRateSlots).values({ bucket: options.bucket, takenAt: now });
      return { granted: true };
    });
  }

  return {
    tryAcquire,
    async acquire(maxWaitMs) {
      const deadline = localNow() + maxWaitMs;
      for (;;) {
        const grant = await tryAcquire();
        if (grant.granted) return grant;
        const remaining = deadline - localNow();
        if (grant.retryAfterMs > remaining) return grant;
        await sleep(Math.min(grant.retryAfterMs, options.pollMs ?? 250));
      }
    },
    async block(ms) {
      const until = sql`${nowSql()} + make_interval(secs => ${ms / 1000})`;
      await db
        .insert(apiRateBlocks)
        .values({ bucket: options.bucket, blockedUntil: until })
        .onConflictDoUpdate({ target: apiRateBlocks.bucket, set: { blockedUntil: until } });
    },
  };
}
