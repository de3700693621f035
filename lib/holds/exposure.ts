import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { HOLD_CAPS_SETTING } from "@/lib/holds/settings";
import { addDecimal } from "@/lib/money/decimal";
import { readSetting } from "@/lib/settings/store";

/**
 * What early approvals put at risk: money released early and not final yet (`hold_approved`), by the day its hold
 * ends (then SkinsBack sends success, or hold_returned before); the clawbacks (`hold_returned`) of the last 90 days;
 * the players with the most exposure; and the caps. Read from partial indexes on the two statuses.
 */
export type Exposure = {
  /** Per UTC day the holds end: deposits and money per currency. */
  untilFinal: { day: string; deposits: number; money: { currency: string; amount: string }[] }[];
  /** `usd`: the signed amounts converted with SkinsBack's rates as the console read them (lib/holds/rates.ts). */
  totals: { deposits: number; money: { currency: string; amount: string }[]; usd: string };
  clawbacks: { day: string; deposits: number; money: { currency: string; amount: string }[] }[];
  clawbackTotals: { deposits: number; money: { currency: string; amount: string }[] };
  /** Exposure per player in USD as the rollup keeps it (SkinsBack's `amount_in_currencies.usd`, unsigned: shown, never decided on). */
  topPlayers: { steamId: string; deposits: number; usd: string }[];
  caps: { perPlayerUsd: string | null; totalUsd: string | null };
  /** Today (UTC): an `untilFinal` day before it is a hold that ended without its final notification. */
  today: string;
};

type DayRow = { day: string; currency: string | null; deposits: number; amount: string | null };

function byDay(rows: DayRow[]) {
  const days = new Map<
    string,
    { day: string; deposits: number; money: { currency: string; amount: string }[] }
  >();
  for (const r of rows) {
    const d = days.get(r.day) ?? { day: r.day, deposits: 0, money: [] };
    d.deposits += r.deposits;
    if (r.currency && r.amount) d.money.push({ currency: r.currency, amount: r.amount });
    days.set(r.day, d);
  }
  return [...days.values()];
}

export async function readExposure(db: Db, now = new Date()): Promise<Exposure> {
  const sinceDay = new Date(now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
  // Day sums and players from the rollups (drizzle/0018): their size is days × currencies and players exposed
  // now, not the deposits behind them.
  const [until, totals, clawbacks, clawbackTotals, players, caps] = await Promise.all([
    db.execute(sql`
      select day, nullif(currency, '') as currency, deposits, amount::text as amount
        from hold_totals where kind = 'until_final' and deposits <> 0 order by 1, 2`),
    db.execute(sql`
      select nullif(currency, '') as currency, sum(deposits)::int as deposits, sum(amount)::text as amount,
             signed_usd(nullif(currency, ''), sum(amount))::text as usd
        from hold_totals where kind = 'until_final' and deposits <> 0 group by 1 order by 3 desc nulls last`),
    db.execute(sql`
      select day, nullif(currency, '') as currency, deposits, amount::text as amount
        from hold_totals where kind = 'clawback' and deposits <> 0 and day >= ${sinceDay} order by 1, 2`),
    db.execute(sql`
      select nullif(currency, '') as currency, sum(deposits)::int as deposits, sum(amount)::text as amount
        from hold_totals where kind = 'clawback' and deposits <> 0 and day >= ${sinceDay}
       group by 1 order by 2 desc`),
    db.execute(sql`
      select steam_id, exposed_deposits as deposits, exposed_usd::text as usd
        from player_totals where exposed_deposits <> 0
       order by exposed_usd desc nulls first, steam_id limit 10`),
    readSetting(db, HOLD_CAPS_SETTING),
  ]);
  const totalRows = rowsOf<{
    currency: string | null;
    deposits: number;
    amount: string | null;
    usd: string | null;
  }>(totals);
  const clawbackRows = rowsOf<{ currency: string | null; deposits: number; amount: string | null }>(
    clawbackTotals,
  );
  const money = (rows: { currency: string | null; amount: string | null }[]) =>
    rows
      .filter((r) => r.currency && r.amount)
      .map((r) => ({ currency: r.currency as string, amount: r.amount as string }));
  return {
    untilFinal: byDay(rowsOf<DayRow>(until)),
    totals: {
      deposits: totalRows.reduce((n, r) => n + r.deposits, 0),
      money: money(totalRows),
      usd: totalRows.reduce((sum, r) => addDecimal(sum, r.usd ?? "0"), "0"),
    },
    clawbacks: byDay(rowsOf<DayRow>(clawbacks)),
    clawbackTotals: {
      deposits: clawbackRows.reduce((n, r) => n + r.deposits, 0),
      money: money(clawbackRows),
    },
    topPlayers: rowsOf<{ steam_id: string; deposits: number; usd: string | null }>(players).map((p) => ({
      steamId: p.steam_id,
      deposits: p.deposits,
      usd: p.usd ?? "0",
    })),
    caps,
    today: now.toISOString().slice(0, 10),
  };
}
