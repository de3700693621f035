import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { DEPOSIT_STATUSES } from "@/lib/skinsback/deposit-status";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { readExposure } from "./exposure";
import { merchantHistories } from "./queue";

/**
 * player_totals and hold_totals are kept by a trigger (drizzle/0018). Whatever sequence of inserts, moves and
 * deletes the deposits go through, they must equal the sums recounted from the deposits themselves — the
 * reference here is plain SQL over `deposits`, independent of the trigger.
 */

/** A small deterministic generator (mulberry32), so a failure replays exactly. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USD_FIGURE = sql`coalesce(case when amount_currency = 'usd' then amount end,
  case when (amount_in_currencies ->> 'usd') ~ '^[0-9.]+$' then (amount_in_currencies ->> 'usd')::numeric end, 0)`;
const PLAYERS_RECOUNTED = sql`
  select steam_id, count(*)::int as deposits,
         (count(*) filter (where status = 'success'))::int as successes,
         (count(*) filter (where status = 'hold_returned'))::int as returned,
         (count(*) filter (where status = 'hold_approved'))::int as exposed_deposits,
         coalesce(sum(${USD_FIGURE}) filter (where status = 'hold_approved'), 0)::numeric(30, 8)::text as exposed_usd,
         coalesce((select jsonb_object_agg(cur, amount) from (
             select coalesce(amount_currency, '') as cur, sum(coalesce(amount, 0))::numeric(30, 8)::text as amount
               from deposits x where x.steam_id = d.steam_id and x.status = 'hold_approved'
              group by 1 having sum(coalesce(amount, 0)) <> 0) c), '{}') as exposed_amounts
    from deposits d where steam_id is not null group by steam_id`;
// A currency whose exposure went back to 0 may stay in the map as "0": the same as absent.
const PLAYERS_KEPT = sql`
  select steam_id, deposits, successes, returned, exposed_deposits, exposed_usd::numeric(30, 8)::text as exposed_usd,
         coalesce((select jsonb_object_agg(key, value::numeric(30, 8)::text) from jsonb_each_text(exposed_amounts)
                    where value::numeric <> 0), '{}') as exposed_amounts
    from player_totals where deposits <> 0`;
const HOLDS_RECOUNTED = sql`
  select case status when 'hold_approved' then 'until_final' else 'clawback' end as kind,
         case status when 'hold_approved' then coalesce(to_char(in_hold_until at time zone 'UTC', 'YYYY-MM-DD'), 'unknown')
              else to_char(status_changed_at at time zone 'UTC', 'YYYY-MM-DD') end as day,
         coalesce(amount_currency, '') as currency, count(*)::int as deposits,
         sum(coalesce(amount, 0))::numeric(30, 8)::text as amount
    from deposits where status in ('hold_approved', 'hold_returned') group by 1, 2, 3`;
const HOLDS_KEPT = sql`
  select kind, day, currency, deposits, amount::numeric(30, 8)::text as amount from hold_totals where deposits <> 0`;

const sorted = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(Object.entries(r).sort())).sort();

describe.each(TEST_DATABASE_KINDS)("the risk rollups (%s)", (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const expectAgreement = async () => {
    expect(sorted(rowsOf(await db().execute(PLAYERS_KEPT)))).toEqual(
      sorted(rowsOf(await db().execute(PLAYERS_RECOUNTED))),
    );
    expect(sorted(rowsOf(await db().execute(HOLDS_KEPT)))).toEqual(
      sorted(rowsOf(await db().execute(HOLDS_RECOUNTED))),
    );
  };

  it("agree with a recount after 600 random inserts, moves and deletes, and after a rebuild", async () => {
    const next = random(20261203);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const players = ["rollup-a", "rollup-b", "rollup-c", "rollup-d", null];
    const currencies = ["usd", "eur", "rub", null];
    const amount = () => (next() < 0.1 ? null : (Math.floor(next() * 100_000) / 100).toFixed(2));
    const usdFigure = () => (next() < 0.2 ? { usd: "not a number" } : { usd: (next() * 500).toFixed(4) });
    const day = () => new Date(Date.UTC(2026, 2, 1 + Math.floor(next() * 20), Math.floor(next() * 24)));
    const ids: string[] = [];
    for (let i = 0; i < 600; i++) {
      const roll = next();
      if (roll < 0.35 || ids.length < 5) {
        const id = `rollup-${kind}-${i}`;
        ids.push(id);
        await db().execute(sql`
          insert into deposits (transaction_id, order_id, status, created_at, steam_id, amount, amount_currency,
                                amount_in_currencies, in_hold_until, status_changed_at)
          values (${id}, ${`o-${id}`}, ${pick(DEPOSIT_STATUSES)}, ${day().toISOString()}::timestamptz,
                  ${pick(players)}, ${amount()}::numeric, ${pick(currencies)}, ${JSON.stringify(usdFigure())}::jsonb,
                  ${next() < 0.2 ? null : day().toISOString()}::timestamptz, ${day().toISOString()}::timestamptz)`);
      } else if (roll < 0.9) {
        const id = pick(ids);
        const change = pick([
          "status",
          "status",
          "status",
          "amount",
          "currency",
          "player",
          "until",
          "figure",
        ]);
        const set =
          change === "status"
            ? sql`status = ${pick(DEPOSIT_STATUSES)}, status_changed_at = ${day().toISOString()}::timestamptz`
            : change === "amount"
              ? sql`amount = ${amount()}::numeric`
              : change === "currency"
                ? sql`amount_currency = ${pick(currencies)}`
                : change === "player"
                  ? sql`steam_id = ${pick(players)}`
                  : change === "until"
                    ? sql`in_hold_until = ${day().toISOString()}::timestamptz`
                    : sql`amount_in_currencies = ${JSON.stringify(usdFigure())}::jsonb`;
        await db().execute(sql`update deposits set ${set} where transaction_id = ${id}`);
      } else {
        const id = ids.splice(Math.floor(next() * ids.length), 1)[0] as string;
        await db().execute(sql`delete from deposits where transaction_id = ${id}`);
      }
      if (i % 150 === 149) await expectAgreement();
    }
    await expectAgreement();
    await db().execute(sql`select deposit_holds_and_players_rebuild()`);
    await expectAgreement();
  });

  it("the risk queue's history and the exposure board read them", async () => {
    const id = `rollup-read-${kind}`;
    await db().execute(sql`
      insert into deposits (transaction_id, order_id, status, created_at, steam_id, amount, amount_currency,
                            amount_in_currencies, in_hold_until)
      values (${id}, 'o', 'hold_approved', now(), 'rollup-reader', 12.50, 'eur', '{"usd": "13.10"}', '2030-01-02T03:00:00Z')`);
    const history = (await merchantHistories(db(), ["rollup-reader"])).get("rollup-reader");
    expect(history).toMatchObject({ deposits: 1, exposed: [{ currency: "eur", amount: "12.50" }] });
    const exposure = await readExposure(db(), new Date("2029-12-31T12:00:00Z"));
    expect(exposure.untilFinal).toContainEqual({
      day: "2030-01-02",
      deposits: 1,
      money: [{ currency: "eur", amount: "12.50" }],
    });
    expect(exposure.topPlayers).toContainEqual({ steamId: "rollup-reader", deposits: 1, usd: "13.10" });
    expect(exposure.today).toBe("2029-12-31");
  });
});
