import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { skinsbackFailures } from "@/lib/db/schema";
import type { SkinsbackClient } from "@/lib/skinsback/client";

/** The sync's row in scheduled_jobs (once per interval across instances). */
export const FAILED_SYNC_JOB = "failed-notifications.sync";

/**
 * Mirrors SkinsBack's failed-notification list (`callback_error_list`) into skinsback_failures: pages through it
 * with `start_from` (up to 1,000 entries a page) until `has_more` is false, then in one transaction opens a row
 * for each newly listed transaction, reopens a resolved one when more entries are listed for it than when it
 * was resolved (a new failure), and resolves open rows SkinsBack no longer lists.
 */

/** A bound on one sync's pages (1,000 entries each), so a misbehaving cursor cannot loop forever. */
const MAX_PAGES = 200;

export type SyncResult = {
  pages: number;
  entries: number;
  transactions: number;
  open: number;
  noLongerListed: number;
};

type Listed = { orderId: string; httpCode: string; count: number };

export async function readFailedList(
  client: SkinsbackClient,
): Promise<{ pages: number; entries: number; listed: Map<string, Listed> }> {
  const listed = new Map<string, Listed>();
  let startFrom: string | undefined;
  let pages = 0;
  let entries = 0;
  for (;;) {
    const page = await client.call(
      "callback_error_list",
      startFrom === undefined ? {} : { start_from: startFrom },
    );
    pages += 1;
    for (const item of page.items) {
      entries += 1;
      const transactionId = String(item.transaction_id);
      const seen = listed.get(transactionId);
      // Later entries of one transaction are its later failures: the last one's http_code is shown.
      listed.set(transactionId, {
        orderId: item.order_id,
        httpCode: item.http_code,
        count: (seen?.count ?? 0) + 1,
      });
    }
    if (!page.has_more) break;
    const next = page.start_from ?? undefined;
    if (next === undefined || next === startFrom || pages >= MAX_PAGES) {
      throw new Error(
        `callback_error_list paging stopped at page ${pages}: has_more without a new start_from`,
      );
    }
    startFrom = next;
  }
  return { pages, entries, listed };
}

export async function syncFailedList(db: Db, client: SkinsbackClient, now = new Date()): Promise<SyncResult> {
  const { pages, entries, listed } = await readFailedList(client);
  const ids = [...listed.keys()];
  const t = skinsbackFailures;
  // Reopen: resolved, and more entries listed now than when it was resolved (a failure after the resolution).
  const reopen = sql`(${t.resolvedAt} is not null and excluded.listed_count > coalesce(${t.resolvedListedCount}, 0))`;
  return db.transaction(async (tx) => {
    for (let i = 0; i < ids.length; i += 500) {
      // 500 rows a statement keeps the parameters far under PostgreSQL's limit.
      const rows = ids.slice(i, i + 500).map((transactionId) => {
        const entry = listed.get(transactionId) as Listed;
        return {
          transactionId,
          orderId: entry.orderId,
          httpCode: entry.httpCode,
          listedCount: entry.count,
          firstSeenAt: now,
          lastSeenAt: now,
        };
      });
      await tx
        .insert(t)
        .values(rows)
        .onConflictDoUpdate({
          target: t.transactionId,
          set: {
            orderId: sql`excluded.order_id`,
            httpCode: sql`excluded.http_code`,
            listedCount: sql`excluded.listed_count`,
            lastSeenAt: sql`excluded.last_seen_at`,
            generation: sql`case when ${reopen} then ${t.generation} + 1 else ${t.generation} end`,
            firstSeenAt: sql`case when ${reopen} then excluded.first_seen_at else ${t.firstSeenAt} end`,
            resolution: sql`case when ${reopen} then null else ${t.resolution} end`,
            resolvedAt: sql`case when ${reopen} then null else ${t.resolvedAt} end`,
            resolvedListedCount: sql`case when ${reopen} then null else ${t.resolvedListedCount} end`,
          },
        });
    }
    const gone = await tx
      .update(t)
      .set({ resolvedAt: now, resolution: "no longer listed", resolvedListedCount: 0, listedCount: 0 })
      // One parameter for the whole list (a parameter per id fails past 65,535 of them, after a long outage).
      .where(
        and(
          isNull(t.resolvedAt),
          // NOT EXISTS plans as a hash anti-join; `<> all (subquery)` would compare every row with every id.
          sql`not exists (select 1 from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) listed (id)
                           where listed.id = ${t.transactionId})`,
        ),
      )
      .returning({ id: t.id });
    const [open] = await tx.select({ n: sql<number>`count(*)::int` }).from(t).where(isNull(t.resolvedAt));
    return { pages, entries, transactions: ids.length, open: open?.n ?? 0, noLongerListed: gone.length };
  });
}

/** Marks one open row's generation resolved: a replay made the console agree with SkinsBack. */
export async function resolveFailure(
  db: Db,
  target: { id: number; generation: number },
  how: string,
  at = new Date(),
): Promise<void> {
  await db
    .update(skinsbackFailures)
    .set({ resolvedAt: at, resolution: how, resolvedListedCount: sql`${skinsbackFailures.listedCount}` })
    .where(
      and(
        eq(skinsbackFailures.id, target.id),
        eq(skinsbackFailures.generation, target.generation),
        isNull(skinsbackFailures.resolvedAt),
      ),
    );
}
