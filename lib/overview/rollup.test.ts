import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { deliverDue } from "@/lib/sandbox/outbox";
import { seedHistory } from "@/lib/sandbox/seed";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";
import type { NotificationInput } from "@/lib/skinsback/notification-builder";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { notificationRequest, sampleNotification } from "@/lib/testing/notifications";
import { startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";
import { readOverview } from "./overview";
import { checkDailyTotals } from "./rollup";

/** The paths a deposit takes (docs/skinsback-protocol.md#state-machine), each a list of the notifications SkinsBack sends. */
const LIFECYCLES: DepositStatus[][] = [
  ["pending"],
  ["pending", "success"],
  ["pending", "fail"],
  ["pending", "in_hold"],
  ["pending", "in_hold", "success"],
  ["in_hold", "fail"],
  ["in_hold", "hold_approved"],
  ["pending", "in_hold", "hold_approved", "success"],
  ["in_hold", "hold_approved", "hold_returned"],
];
const CURRENCIES = ["rub", "usd", "eur"] as const;

/** Deposits created from `from` to `to` (UTC days), by status, counted straight from the deposits table. */
async function countFromDeposits(db: TestDatabase["handle"]["db"], from: string, to: string) {
  return rowsOf<{ status: string; deposits: number }>(
    await db.execute(sql`
      select status::text as status, count(*)::int as deposits from deposits
       where created_at >= ${from}::date and created_at < ${to}::date + 1 group by 1 order by 1`),
  );
}

describe.each(TEST_DATABASE_KINDS)("the daily rollup on %s", (kind) => {
  describe("after the sandbox's seed", () => {
    let sandboxDb: TestDatabase;
    let consoleDb: TestDatabase;
    let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
    beforeAll(async () => {
      [sandboxDb, consoleDb] = await Promise.all([openTestDatabase(kind), openTestDatabase(kind)]);
      harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
    });
    afterAll(async () => {
      await harness?.close();
      await Promise.all([sandboxDb?.drop(), consoleDb?.drop()]);
    });

    it("equals a recount from the events, and the overview's figures equal a count of the deposits", async () => {
      const now = new Date();
      await seedHistory(harness.ctx, now, { deposits: 300 });
      for (let round = 0; round < 100 && (await deliverDue(harness.ctx, now, 200)).sent > 0; round++) {} // bounded
      const db = consoleDb.handle.db;

      const check = await checkDailyTotals(db);
      expect(check.differences).toEqual([]);
      expect(check.deposits).toBe(300 - (await countUnseen(sandboxDb, db)));

      for (const days of [7, 30, 90] as const) {
        const overview = await readOverview(db, { days }, now);
        const counted = await countFromDeposits(db, overview.from, overview.to);
        expect(counted.reduce((n, r) => n + r.deposits, 0)).toBeGreaterThan(0);
        expect(overview.byStatus.filter((s) => s.deposits > 0).map((s) => [s.status, s.deposits])).toEqual(
          counted.map((r) => [r.status, r.deposits]).sort(byStatusOrder),
        );
        const perDayTotal = overview.perDay.reduce(
          (n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0),
          0,
        );
        expect(perDayTotal).toBe(counted.reduce((n, r) => n + r.deposits, 0));
      }
    });

    it("the check finds a rollup that drifted, and a status its events do not give", async () => {
      const db = consoleDb.handle.db;
      await db.execute(sql`
        update deposit_daily_totals set deposits = deposits + 1
         where (day, status, currency) = (select day, status, currency from deposit_daily_totals limit 1)`);
      expect((await checkDailyTotals(db)).differences).toHaveLength(1);
      await db.execute(sql`select deposit_daily_totals_rebuild()`);
      expect((await checkDailyTotals(db)).differences).toEqual([]);

      // A status written around the ingest path: the trigger follows it, the events do not.
      await db.execute(sql`
        update deposits set status = 'success'
         where transaction_id = (select transaction_id from deposits where status = 'fail' limit 1)`);
      const drifted = await checkDailyTotals(db);
      expect(drifted.differences.length).toBeGreaterThanOrEqual(1);
      expect(drifted.differences.some((d) => d.status === "success" || d.status === "fail")).toBe(true);
    });
  });

  describe("after random deliveries: out of order, duplicated, concurrent, money changed", () => {
    const bed = useWebhookTestbed(kind);

    it("always equals the recount", async () => {
      let deposits = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              lifecycle: fc.constantFrom(...LIFECYCLES),
              currency: fc.constantFrom(...CURRENCIES),
              cents: fc.integer({ min: 1, max: 10_000_000 }),
              dayOffset: fc.integer({ min: 0, max: 40 }),
              /** A later notification states other money (applied, flagged as a conflict of money). */
              moneyChange: fc.boolean(),
              duplicates: fc.integer({ min: 0, max: 2 }),
            }),
            { minLength: 1, maxLength: 6 },
          ),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.integer({ min: 1, max: 4 }),
          async (plans, shuffleSeed, batch) => {
            const notifications: NotificationInput[] = [];
            for (const plan of plans) {
              const base = sampleNotification({ status: "pending" });
              const amount = (plan.cents / 100).toFixed(2);
              plan.lifecycle.forEach((status, i) => {
                const changed = plan.moneyChange && i === plan.lifecycle.length - 1 && i > 0;
                const n = sampleNotification({
                  ...base,
                  status,
                  date: 1_763_700_000 - plan.dayOffset * 86_400,
                  amount: changed ? `${amount}1` : amount,
                  amount_currency: plan.currency,
                  ...(status === "fail" && { reason: "timeout" }),
                });
                for (let k = 0; k <= (i === 0 ? plan.duplicates : 0); k++) notifications.push(n);
              });
            }
            deposits += plans.length;
            const shuffled = shuffle(notifications, shuffleSeed);
            for (let i = 0; i < shuffled.length; i += batch) {
              const answers = await Promise.all(
                shuffled.slice(i, i + batch).map((n) => bed.receive(notificationRequest(n))),
              );
              expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
            }
            const check = await checkDailyTotals(bed.database.handle.db);
            expect(check.differences).toEqual([]);
            expect(check.deposits).toBe(deposits);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});

/** Deposits of the sandbox whose every notification went to the failing Result URL: the console never saw them. */
async function countUnseen(
  sandboxDb: TestDatabase,
  consoleDb: TestDatabase["handle"]["db"],
): Promise<number> {
  const [sandbox] = rowsOf<{ n: number }>(
    await sandboxDb.handle.db.execute(sql`select count(*)::int as n from sandbox_deposits`),
  );
  const [seen] = rowsOf<{ n: number }>(await consoleDb.execute(sql`select count(*)::int as n from deposits`));
  return (sandbox?.n ?? 0) - (seen?.n ?? 0);
}

const byStatusOrder = (a: (string | number)[], b: (string | number)[]) =>
  DEPOSIT_STATUSES.indexOf(a[0] as DepositStatus) - DEPOSIT_STATUSES.indexOf(b[0] as DepositStatus);

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
