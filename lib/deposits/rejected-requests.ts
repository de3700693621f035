import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { type NewWebhookDelivery, webhookDeliveries, webhookRejectionCounts } from "@/lib/db/schema";

/**
 * Every request that reached the receiver is recorded, but rejected ones (bad signature, invalid, too large)
 * cannot fill the disk: each is counted in one upsert, and only the first few per window get a delivery row,
 * capped in size. Worst case under any flood: `DETAILED_PER_HOUR` rows of at most ~6.5 KB an hour (6.5 MB/hour,
 * 156 MB/day) plus one small counter row per client address per minute.
 *
 * The global cap must not blind the log: a flood from many addresses could use up the hourly rows in seconds,
 * leaving the next real refusal without one. So the first refusal of each address each hour gets its row
 * whatever the global count — bounded by the number of addresses, as the counter rows already are (one more
 * small counter row per address per hour).
 */
export const REJECTED_BODY_KEEP_BYTES = 4096;
export const REJECTED_HEADERS_KEEP_CHARS = 2048;
export const DETAILED_PER_ADDRESS_PER_MINUTE = 20;
export const DETAILED_PER_HOUR = 1000;

/** Counts one rejected request; says whether it also gets a detailed delivery row. One round trip. */
export async function countRejection(
  db: Db,
  address: string | null,
  bytes: number,
  /** The database's clock unless a test sets it. */
  at?: Date,
): Promise<{ detailed: boolean }> {
  const t = webhookRejectionCounts;
  const now = at ? sql`${at.toISOString()}::timestamptz` : sql`now()`;
  const addressScope = `address:${address ?? "unknown"}`;
  const addressHourScope = `address-hour:${address ?? "unknown"}`;
  const rows = await db
    .insert(t)
    .values([
      { scope: addressScope, windowStart: sql`date_trunc('minute', ${now})`, requests: 1, bytes },
      { scope: addressHourScope, windowStart: sql`date_trunc('hour', ${now})`, requests: 1, bytes },
      { scope: "all", windowStart: sql`date_trunc('hour', ${now})`, requests: 1, bytes },
    ])
    .onConflictDoUpdate({
      target: [t.scope, t.windowStart],
      set: { requests: sql`${t.requests} + 1`, bytes: sql`${t.bytes} + excluded.bytes` },
    })
    .returning({ scope: t.scope, requests: t.requests });
  const count = (scope: string) => rows.find((r) => r.scope === scope)?.requests ?? Number.POSITIVE_INFINITY;
  return {
    detailed:
      count(addressScope) <= DETAILED_PER_ADDRESS_PER_MINUTE &&
      (count("all") <= DETAILED_PER_HOUR || count(addressHourScope) === 1),
  };
}

/** A rejected request's delivery row, with body and headers cut to their caps (size and hash stay exact). */
export function capRejectedDelivery(row: NewWebhookDelivery): NewWebhookDelivery {
  return {
    ...row,
    rawBody: row.rawBody.subarray(0, REJECTED_BODY_KEEP_BYTES),
    headers: capHeaders(row.headers, REJECTED_HEADERS_KEEP_CHARS),
  };
}

function capHeaders(headers: Record<string, string>, maxChars: number): Record<string, string> {
  const kept: Record<string, string> = {};
  let used = 2;
  let left = 0;
  for (const [name, value] of Object.entries(headers)) {
    const shown = value.length > 256 ? `${value.slice(0, 256)}… (${value.length} characters)` : value;
    const cost = name.length + shown.length + 6;
    if (used + cost > maxChars) {
      left += 1;
      continue;
    }
    kept[name] = shown;
    used += cost;
  }
  if (left > 0) kept["x-console-left-out"] = `${left} more headers`;
  return kept;
}

/** Counts the rejection and, within the caps, stores its delivery row; its id, or null when only counted. */
export async function recordRejectedDelivery(db: Db, row: NewWebhookDelivery): Promise<number | null> {
  const { detailed } = await countRejection(db, row.remoteAddress ?? null, row.bodyBytes);
  if (!detailed) return null;
  const [inserted] = await db
    .insert(webhookDeliveries)
    .values(capRejectedDelivery(row))
    .returning({ id: webhookDeliveries.id });
  return inserted?.id ?? null;
}
