import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { apiRateBlocks, apiRateSlots } from "@/lib/db/schema";
import type { RateBudget } from "@/lib/skinsback/client";

export const SKINSBACK_CALLS_PER_MINUTE = 500;

type Grant = { granted: true } | { granted: false; retryAfterMs: number };

/**
 * A rolling-window budget shared through the database by every instance and process: a call may be sent when
 * fewer than `limit` calls were sent in the last `windowMs` (by the database clock) and no block is in force.
 * Each decision holds a transaction-scoped advisory lock on the bucket, so two instances never both take the
 * last slot.
 */
export function createRateBudget(
  db: Db,
  options: { bucket: string; limit?: number; windowMs?: number; pollMs?: number },
): RateBudget & { tryAcquire(): Promise<Grant> } {
  const limit = options.limit ?? SKINSBACK_CALLS_PER_MINUTE;
  const windowMs = options.windowMs ?? 60_000;
  const windowSeconds = windowMs / 1000;
  const lockKey = `skinsback-rate:${options.bucket}`;

  async function tryAcquire(): Promise<Grant> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`);
      await tx
        .delete(apiRateSlots)
        .where(
          and(
            eq(apiRateSlots.bucket, options.bucket),
            lt(apiRateSlots.takenAt, sql`clock_timestamp() - make_interval(secs => ${windowSeconds})`),
          ),
        );
      const [block] = await tx
        .select({
          waitMs: sql<string>`ceil(extract(epoch from (${apiRateBlocks.blockedUntil} - clock_timestamp())) * 1000)`,
        })
        .from(apiRateBlocks)
        .where(
          and(
            eq(apiRateBlocks.bucket, options.bucket),
            sql`${apiRateBlocks.blockedUntil} > clock_timestamp()`,
          ),
        );
      if (block) return { granted: false, retryAfterMs: Number(block.waitMs) };

      const [usage] = await tx
        .select({
          used: sql<string>`count(*)`,
          waitMs: sql<
            string | null
          >`ceil(extract(epoch from (min(${apiRateSlots.takenAt}) + make_interval(secs => ${windowSeconds}) - clock_timestamp())) * 1000)`,
        })
        .from(apiRateSlots)
        .where(
          and(
            eq(apiRateSlots.bucket, options.bucket),
            sql`${apiRateSlots.takenAt} > clock_timestamp() - make_interval(secs => ${windowSeconds})`,
          ),
        );
      if (Number(usage?.used ?? 0) >= limit) {
        return { granted: false, retryAfterMs: Math.max(1, Number(usage?.waitMs ?? windowMs)) };
      }
      await tx.insert(apiRateSlots).values({ bucket: options.bucket });
      return { granted: true };
    });
  }

  return {
    tryAcquire,
    async acquire(maxWaitMs) {
      const deadline = Date.now() + maxWaitMs;
      for (;;) {
        const grant = await tryAcquire();
        if (grant.granted) return grant;
        const remaining = deadline - Date.now();
        if (grant.retryAfterMs > remaining) return grant;
        await new Promise((r) => setTimeout(r, Math.min(grant.retryAfterMs, options.pollMs ?? 250)));
      }
    },
    async block(ms) {
      const until = sql`clock_timestamp() + make_interval(secs => ${ms / 1000})`;
      await db
        .insert(apiRateBlocks)
        .values({ bucket: options.bucket, blockedUntil: until })
        .onConflictDoUpdate({ target: apiRateBlocks.bucket, set: { blockedUntil: until } });
    },
  };
}
