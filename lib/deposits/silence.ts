import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { defineSetting, readSetting } from "@/lib/settings/store";

/**
 * The silence alarm: minutes without a notification, while deposits are being created, before every page shows a
 * banner. Fractions allowed (0.1 = 6 s).
 */
export const SILENCE_MINUTES_SETTING = defineSetting(
  "alarms.silence-minutes",
  z.number().min(0.1).max(10_080),
  30,
);

/**
 * The silence alarm: SkinsBack has stopped notifying us (a wrong Result URL, a firewall, our server unreachable
 * from outside) while players are still paying. Raised when no notification has been accepted for the
 * threshold (admin setting `alarms.silence-minutes`) and deposits are being created: the console saw a deposit
 * created in the last 24 hours, or created one itself through SkinsBack's `create` in that time. A shop quiet for
 * a day is not alarmed about.
 */
export type Silence = {
  lastNotificationAt: string | null;
  thresholdMinutes: number;
  /** Deposits created in the last 24 hours (seen, or created through the console). */
  expectingTraffic: boolean;
  alarm: boolean;
};

const EXPECTING_WINDOW_MS = 24 * 3_600_000;

export async function readSilence(db: Db, now = new Date()): Promise<Silence> {
  const since = new Date(now.getTime() - EXPECTING_WINDOW_MS).toISOString();
  const [[row], thresholdMinutes] = await Promise.all([
    db
      .execute(sql`
        select
          -- The newest notification the console accepted is the newest webhook event (duplicates and stale
          -- ones are events too). Read from the events, not the deliveries: a flood of refused requests sits
          -- on top of the deliveries' id order, and every page's banner would walk through it.
          (select observed_at from deposit_events where source = 'webhook' order by id desc limit 1) as last_at,
          exists (select 1 from deposits where created_at > ${since}::timestamptz)
            or exists (select 1 from api_calls
                        where called_at > ${since}::timestamptz and method = 'create' and outcome = 'ok') as expecting`)
      .then((r) => rowsOf<{ last_at: Date | string | null; expecting: boolean }>(r)),
    readSetting(db, SILENCE_MINUTES_SETTING),
  ]);
  const lastAt = row?.last_at ? new Date(row.last_at) : null;
  const expectingTraffic = row?.expecting === true;
  const silentFor = lastAt ? now.getTime() - lastAt.getTime() : Number.POSITIVE_INFINITY;
  return {
    lastNotificationAt: lastAt?.toISOString() ?? null,
    thresholdMinutes,
    expectingTraffic,
    alarm: expectingTraffic && silentFor > thresholdMinutes * 60_000,
  };
}
