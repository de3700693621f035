import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { currencyRates } from "@/lib/db/schema";
import type { SkinsbackClient } from "@/lib/skinsback/client";

/**
 * SkinsBack's currency rates, read by the console itself (`currencies`, a call we sign and send over TLS), so that
 * exposure and caps are computed from signed amounts (`amount` + `amount_currency`) and never from the USD figure
 * a notification carries outside its signature. Rates older than `RATES_MAX_AGE_MS` are read again before an
 * approval is checked against a cap; when SkinsBack cannot be asked, rates up to `RATES_USABLE_MS` old still
 * decide, and older ones refuse the approval.
 */

export const RATES_MAX_AGE_MS = 60 * 60_000;
export const RATES_USABLE_MS = 24 * 60 * 60_000;

const PLAIN_POSITIVE = /^\d{1,12}(\.\d{1,12})?$/;

/** When the oldest stored rate was read; null when there is none. */
export async function ratesReadAt(db: Db): Promise<Date | null> {
  const [row] = rowsOf<{ at: Date | string | null }>(
    await db.execute(sql`select min(fetched_at) as at from ${currencyRates}`),
  );
  return row?.at ? new Date(row.at) : null;
}

/** Asks SkinsBack for its rates and stores every usable one (a code and a positive plain decimal). */
export async function refreshRates(db: Db, client: SkinsbackClient, now: Date): Promise<number> {
  const answer = await client.call("currencies", {});
  const items = answer.items
    .map((item) => ({ code: String(item.code).toLowerCase(), rate: String(item.rate) }))
    .filter(
      (item) => /^[a-z]{2,8}$/.test(item.code) && PLAIN_POSITIVE.test(item.rate) && Number(item.rate) > 0,
    );
  if (items.length === 0) return 0;
  await db
    .insert(currencyRates)
    .values(items.map((item) => ({ ...item, fetchedAt: now })))
    .onConflictDoUpdate({
      target: currencyRates.code,
      set: { rate: sql`excluded.rate`, fetchedAt: sql`excluded.fetched_at` },
    });
  return items.length;
}

/**
 * Rates fit to decide a cap at `now`: read again when older than an hour; the time they were read, or a reason in
 * words why there are none fit to use.
 */
export async function ratesForCaps(
  db: Db,
  client: SkinsbackClient,
  now: Date,
): Promise<{ readAt: Date } | { problem: string }> {
  const before = await ratesReadAt(db);
  if (before && now.getTime() - before.getTime() <= RATES_MAX_AGE_MS) return { readAt: before };
  try {
    await refreshRates(db, client, now);
  } catch {
    // SkinsBack could not be asked now; rates read within the day still decide.
  }
  const after = await ratesReadAt(db);
  if (after && now.getTime() - after.getTime() <= RATES_USABLE_MS) return { readAt: after };
  return {
    problem:
      "SkinsBack's currency rates could not be read (the caps convert signed amounts with them): try again shortly",
  };
}
