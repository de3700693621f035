import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { currencyRates, deposits, holdApprovals } from "@/lib/db/schema";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { advanceDue, createDeposit } from "@/lib/sandbox/engine";
import { deliverDue } from "@/lib/sandbox/outbox";
import { rng } from "@/lib/sandbox/world";
import { writeSetting } from "@/lib/settings";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { approveHold } from "./approve";

const OPERATOR = { kind: "operator" as const, id: "op-caps", email: "caps@example.test" };

/** A clean-looking `user_risk` block, as anyone replaying a refused body could write it. */
const CLEAN_USER_RISK = {
  total_deposits_count: "80",
  total_deposits_sum: "9000.00",
  total_rollback_deposits_count: "0",
  total_rollback_deposits_sum: "0.00",
  joined_at: "2019-01-01 00:00:00",
  last_deposit_at: "2026-11-01 00:00:00",
  user_inventory: [{ last_updated_at: "2026-11-20 09:00:00", sum: "5000.00" }],
};

/**
 * Caps and risk decided on signed numbers only: the USD figure and `user_risk` a notification carries outside its
 * signature can say anything (a refused body's `sign` is readable in the delivery log, and it can be posted again
 * with other unsigned blocks), so none of them may let an approval through.
 */
describe.each(TEST_DATABASE_KINDS)("caps on signed money on %s", (kind) => {
  let sandboxDb: TestDatabase;
  let consoleDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  let counter = 0;

  beforeAll(async () => {
    [sandboxDb, consoleDb] = await Promise.all([openTestDatabase(kind), openTestDatabase(kind)]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([sandboxDb?.drop(), consoleDb?.drop()]);
  });
  beforeEach(async () => {
    // Each test starts with no money released early and no caps: it makes all the exposure it reads.
    await consoleDb.handle.db.execute(
      sql`update deposits set status = 'success' where status in ('hold_approved', 'in_hold')`,
    );
    await writeSetting(consoleDb.handle.db, "holds.caps", { perPlayerUsd: null, totalUsd: null }, "test");
  });

  const deps = () => ({
    db: consoleDb.handle.db,
    client: skinsbackGateway(
      consoleDb.handle.db,
      { apiUrl: harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS },
      "test",
    ),
  });

  /** A CS2 deposit the sandbox holds, delivered to the console as in_hold; its later notifications wait. */
  async function heldDeposit(amountUsd: string, currency = "usd"): Promise<string> {
    counter += 1;
    const now = new Date();
    const d = await createDeposit(
      harness.ctx,
      {
        orderId: `caps-${kind}-${counter}-${now.getTime()}`,
        steamId: `765611980900${String(10_000 + counter)}`,
        currency,
        scenario: { game: "cs2", holdFlow: true, plan: ["in_hold", "success"] },
        createdAt: now,
        amountUsd,
      },
      rng(counter),
    );
    const later = new Date(now.getTime() + 60_000);
    await advanceDue(harness.ctx, later);
    for (let round = 0; round < 10 && (await deliverDue(harness.ctx, later, 100)).sent > 0; round++) {}
    const id = String(d.transactionId);
    const [row] = await consoleDb.handle.db
      .select({ status: deposits.status })
      .from(deposits)
      .where(eq(deposits.transactionId, id));
    expect(row?.status).toBe("in_hold");
    return id;
  }

  /** What a replayed body with other unsigned blocks leaves stored: the signed fields stay, the rest is theirs. */
  async function writeUnsigned(transactionId: string, usd: string) {
    await consoleDb.handle.db
      .update(deposits)
      .set({ amountInCurrencies: { usd, eur: usd }, userRisk: CLEAN_USER_RISK })
      .where(eq(deposits.transactionId, transactionId));
  }

  it("a 5,000 USD deposit in EUR whose unsigned USD says 0.01 is refused by a 100 USD cap", async () => {
    const id = await heldDeposit("5000.00", "eur");
    await writeUnsigned(id, "0.01");
    await writeSetting(consoleDb.handle.db, "holds.caps", { perPlayerUsd: null, totalUsd: "100" }, "test");
    const result = await approveHold(deps(), {
      transactionId: id,
      reason: "r",
      actor: OPERATOR,
      address: null,
    });
    expect(result.kind).toBe("refused");
    expect(result.message).toMatch(/over the total cap of 100\.00 USD.*this deposit is 5,000\.00 USD/);
    // The console read SkinsBack's rates itself to decide, and keeps when.
    const rates = await consoleDb.handle.db.select().from(currencyRates).where(eq(currencyRates.code, "eur"));
    expect(rates[0]?.rate).toBe("0.92");
  });

  it("a negative unsigned USD figure on money already released does not lower the exposure", async () => {
    const released = await heldDeposit("600.00", "eur");
    await consoleDb.handle.db
      .update(deposits)
      .set({ status: "hold_approved" })
      .where(eq(deposits.transactionId, released));
    await writeUnsigned(released, "-100000");
    const next = await heldDeposit("600.00");
    await writeSetting(consoleDb.handle.db, "holds.caps", { perPlayerUsd: null, totalUsd: "1000" }, "test");
    const result = await approveHold(deps(), {
      transactionId: next,
      reason: "r",
      actor: OPERATOR,
      address: null,
    });
    expect(result.kind).toBe("refused");
    expect(result.message).toMatch(/: 600\.00 USD is released early already/);
  });

  it("an approval SkinsBack accepted counts until its deposit is final: 900 then 900 under a 1,000 cap", async () => {
    const first = await heldDeposit("900.00");
    const second = await heldDeposit("900.00");
    await writeSetting(consoleDb.handle.db, "holds.caps", { perPlayerUsd: null, totalUsd: "1000" }, "test");
    const one = await approveHold(deps(), {
      transactionId: first,
      reason: "r",
      actor: OPERATOR,
      address: null,
    });
    expect(one.kind).toBe("approved");
    // SkinsBack's hold_approved notification has not arrived: the deposit is still in_hold here.
    const [row] = await consoleDb.handle.db
      .select({ status: deposits.status })
      .from(deposits)
      .where(eq(deposits.transactionId, first));
    expect(row?.status).toBe("in_hold");
    const two = await approveHold(deps(), {
      transactionId: second,
      reason: "r",
      actor: OPERATOR,
      address: null,
    });
    expect(two.kind).toBe("refused");
    expect(two.message).toMatch(/over the total cap of 1,000\.00 USD: 900\.00 USD is released early already/);
    const [approval] = await consoleDb.handle.db
      .select()
      .from(holdApprovals)
      .where(eq(holdApprovals.transactionId, first));
    expect(approval).toMatchObject({ state: "approved", usd: "900" }); // as SkinsBack sent it (a PHP float)
    // Once final, it stops counting.
    await consoleDb.handle.db
      .update(deposits)
      .set({ status: "success" })
      .where(eq(deposits.transactionId, first));
    const three = await approveHold(deps(), {
      transactionId: second,
      reason: "r",
      actor: OPERATOR,
      address: null,
    });
    expect(three.kind).toBe("approved");
  });

  it("a clean unsigned user_risk alone never makes a deposit low enough for bulk approval", async () => {
    const id = await heldDeposit("20.00");
    await writeUnsigned(id, "20.00");
    const before = rowsOf<{ n: number }>(
      await sandboxDb.handle.db.execute(
        sql`select count(*)::int as n from sandbox_requests where method = 'offer_approve'`,
      ),
    )[0]?.n;
    const result = await approveHold(deps(), {
      transactionId: id,
      reason: "bulk",
      actor: OPERATOR,
      address: null,
      bulk: true,
    });
    expect(result).toMatchObject({ kind: "refused" });
    expect(result.message).toMatch(/^medium risk/);
    const after = rowsOf<{ n: number }>(
      await sandboxDb.handle.db.execute(
        sql`select count(*)::int as n from sandbox_requests where method = 'offer_approve'`,
      ),
    )[0]?.n;
    expect(after).toBe(before);
  });
});
