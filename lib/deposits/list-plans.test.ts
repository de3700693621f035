import { and, desc, sql as drizzleSql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedLarge } from "@/lib/db/large-seed";
import { deposits } from "@/lib/db/schema";
import { failedFiltersSchema, failedRowsQuery } from "@/lib/failed-notifications/list";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import {
  type DepositListParams,
  depositConditions,
  depositListParamsSchema,
  depositListQuery,
  depositTotals,
  listDeposits,
} from "./queries";
import { unappliedDeliveriesQuery } from "./timeline";

/**
 * The deposit list stays instant at a million rows only while each of its queries is served by an index in the
 * order it asks for (a `Sort` over the matching rows is what made the first page 100 ms at 1M). The planner's
 * choice depends on the data's shape more than its size, so a seeded year at 40,000 deposits shows it; the
 * benchmark (bench/dashboard-at-scale.ts) prints the same plans at 1,000,000.
 */

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe("deposit list plans on PostgreSQL", () => {
  let database: TestDatabase;
  let sql: postgres.Sql;
  let deep: DepositListParams;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    await seedLarge(database.url as string, 40_000, () => {});
    sql = postgres(database.url as string, { max: 1 });
    // A cursor 30,000 rows deep, taken from the list itself.
    const [row] = await sql<{ created_at: string; transaction_id: string }[]>`
      select created_at::text, transaction_id from deposits
       order by created_at desc, transaction_id desc offset 30000 limit 1`;
    const cursor = Buffer.from(JSON.stringify(["newest", row?.created_at, row?.transaction_id])).toString(
      "base64url",
    );
    deep = depositListParamsSchema.parse({ cursor });
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
  });

  async function planOf(params: Record<string, string>): Promise<PlanNode[]> {
    const query = depositListQuery(database.handle.db, depositListParamsSchema.parse(params)).toSQL();
    const [row] = await sql.unsafe(
      `explain (format json) ${query.sql}`,
      query.params as postgres.ParameterOrJSON<never>[],
    );
    const [explained] = (row as unknown as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"];
    return nodes(explained?.Plan as PlanNode);
  }

  /** `smallSort`: the matches are few (a thousand at 1M), read through the index, then sorted in memory. */
  const CASES: { name: string; params: () => Record<string, string>; index: string; smallSort?: true }[] = [
    { name: "first page", params: () => ({}), index: "deposits_created_at_idx" },
    {
      name: "a page 30,000 rows deep",
      params: () => ({ cursor: deep.cursor as string }),
      index: "deposits_created_at_idx",
    },
    { name: "oldest first", params: () => ({ sort: "oldest" }), index: "deposits_created_at_idx" },
    {
      name: "status + date range",
      params: () => ({ status: "fail", from: "2026-01-01", to: "2026-06-30" }),
      index: "deposits_status_created_at_idx",
    },
    { name: "largest amount first", params: () => ({ sort: "amount_desc" }), index: "deposits_amount_idx" },
    { name: "smallest amount first", params: () => ({ sort: "amount_asc" }), index: "deposits_amount_idx" },
    { name: "flagged", params: () => ({ flagged: "1" }), index: "deposits_flagged_idx", smallSort: true },
  ];

  for (const c of CASES) {
    it(`${c.name}: reads ${c.index}${c.smallSort ? "" : " in order (no sort)"}, no sequential scan`, async () => {
      const plan = await planOf(c.params());
      const types = plan.map((n) => n["Node Type"]);
      if (!c.smallSort) expect(types).not.toContain("Sort");
      expect(types).not.toContain("Seq Scan");
      expect(plan.map((n) => n["Index Name"]).filter(Boolean)).toContain(c.index);
    });
  }

  it("a search by Steam id reads the Steam id index, never the whole table", async () => {
    const [player] = await sql<{ steam_id: string }[]>`select steam_id from deposits limit 1`;
    const plan = await planOf({ q: player?.steam_id as string });
    expect(plan.map((n) => n["Node Type"])).not.toContain("Seq Scan");
    expect(plan.map((n) => n["Index Name"]).filter(Boolean)).toContain("deposits_steam_id_prefix_idx");
  });

  it("keyset pages in every order cover each deposit once, in order", async () => {
    for (const sort of ["newest", "amount_desc", "amount_asc"] as const) {
      const seen = new Set<string>();
      let cursor: string | undefined;
      const keys: string[] = [];
      for (let page = 0; page < 4; page++) {
        const result = await listDeposits(
          database.handle.db,
          depositListParamsSchema.parse({ sort, status: "hold_approved", limit: "200", cursor }),
        );
        for (const item of result.items) {
          expect(seen.has(item.transactionId)).toBe(false);
          seen.add(item.transactionId);
          keys.push(sort === "newest" ? item.createdAt : (item.amount ?? "0"));
        }
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`
        select count(*)::int as n from deposits where status = 'hold_approved'`;
      expect(seen.size).toBe(Math.min(n, 800));
      const sorted = [...keys].sort((a, b) =>
        sort === "newest" ? b.localeCompare(a) : (Number(a) - Number(b)) * (sort === "amount_asc" ? 1 : -1),
      );
      expect(keys).toEqual(sorted);
    }
  });

  it("totals from the rollup equal totals counted from the deposits", async () => {
    const filters = [
      {},
      { status: "success,fail" },
      { from: "2026-03-01", to: "2026-09-30", currency: "rub" },
    ];
    for (const f of filters) {
      const parsed = depositListParamsSchema.parse(f);
      const fromRollup = await depositTotals(database.handle.db, parsed);
      // The same filters counted from the deposits themselves (the scanned totals stop at a cap).
      const where = depositConditions(parsed);
      const counted = await database.handle.db
        .select({
          currency: deposits.amountCurrency,
          count: drizzleSql<number>`count(*)::int`,
          sum: drizzleSql<string | null>`sum(${deposits.amount})::text`,
        })
        .from(deposits)
        .where(where.length ? and(...where) : undefined)
        .groupBy(deposits.amountCurrency)
        .orderBy(desc(drizzleSql`count(*)`));
      expect(fromRollup.count).toBeGreaterThan(0);
      expect(fromRollup).toEqual({ count: counted.reduce((n, r) => n + r.count, 0), sums: counted });
    }
  });

  it("a deposit's timeline finds its deliveries without an event by index, never by reading every event", async () => {
    const [delivery] = await sql<{ transaction_id: string }[]>`
      select transaction_id from webhook_deliveries where transaction_id is not null order by id desc limit 1`;
    const query = unappliedDeliveriesQuery(database.handle.db, delivery?.transaction_id as string).toSQL();
    const [row] = await sql.unsafe(
      `explain (format json) ${query.sql}`,
      query.params as postgres.ParameterOrJSON<never>[],
    );
    const plan = nodes(
      (row as unknown as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"][0]?.Plan as PlanNode,
    );
    expect(plan.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"])).toEqual([]);
    expect(plan.map((n) => n["Index Name"]).filter(Boolean)).toContain("deposit_events_delivery_id_idx");
  });

  it("the failed screen's open rows come from the partial index, newest first, whatever history holds", async () => {
    // A year of refused requests (half resolved since): the open page must not read them all.
    await sql`
      insert into webhook_deliveries (received_at, headers, raw_body, body_bytes, sign_check, x_sign_check, outcome,
                                      http_status, transaction_id, duration_ms)
      select now() - (n || ' minutes')::interval, '{}', '\x7b7d'::bytea, 2, 'invalid', 'absent', 'bad_signature', 401,
             'plan-' || n, 1
        from generate_series(1, 4000) n`;
    await sql`update console_failures set resolved_at = now(), resolution = 'stored since' where delivery_id % 2 = 0`;
    await sql`analyze console_failures`;
    const query = new PgDialect().sqlToQuery(failedRowsQuery(failedFiltersSchema.parse({}), 51, new Date()));
    const [row] = await sql.unsafe(
      `explain (format json) ${query.sql}`,
      query.params as postgres.ParameterOrJSON<never>[],
    );
    const plan = nodes(
      (row as unknown as { "QUERY PLAN": { Plan: PlanNode }[] })["QUERY PLAN"][0]?.Plan as PlanNode,
    );
    expect(plan.filter((n) => n["Relation Name"] === "console_failures").map((n) => n["Index Name"])).toEqual(
      ["console_failures_open_idx"],
    );
    expect(plan.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"])).not.toContain(
      "webhook_deliveries",
    );
  });
});
