import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { currencyRates, deposits, holdApprovals } from "@/lib/db/schema";
import { HOLD_CAPS_SETTING } from "@/lib/holds/settings";
import { writeSetting } from "@/lib/settings/store";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { useHoldTestbed } from "@/lib/testing/hold-testbed";
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
  const bed = useHoldTestbed(kind, "caps");

  beforeEach(async () => {
    // Each test starts with no money released early and no caps: it makes all the exposure it reads.
    await bed.consoleDb.handle.db.execute(
      sql`update deposits set status = 'success' where status in ('hold_approved', 'in_hold')`,
    );
    await writeSetting(
      bed.consoleDb.handle.db,
      HOLD_CAPS_SETTING,
      { perPlayerUsd: null, totalUsd: null },
      "test",
    );
  });

  const deps = () => ({ db: bed.consoleDb.handle.db, client: bed.client() });
  const heldDeposit = bed.heldDeposit;

  /** What a replayed body with other unsigned blocks leaves stored: the signed fields stay, the rest is theirs. */
  async function writeUnsigned(transactionId: string, usd: string) {
    await bed.consoleDb.handle.db
      .update(deposits)
      .set({ amountInCurrencies: { usd, eur: usd }, userRisk: CLEAN_USER_RISK })
      .where(eq(deposits.transactionId, transactionId));
  }

  it("a 5,000 USD deposit in EUR whose unsigned USD says 0.01 is refused by a 100 USD cap", async () => {
    const id = await heldDeposit("5000.00", "eur");
    await writeUnsigned(id, "0.01");
    await writeSetting(
      bed.consoleDb.handle.db,
      HOLD_CAPS_SETTING,
      { perPlayerUsd: null, totalUsd: "100" },
      "test",
    );
    const result = await approveHold(deps(), {
      transactionId: id,
      reason: "r",
      actor: OPERATOR,
      address: null,
    });
    expect(result.kind).toBe("refused");
    expect(result.message).toMatch(/over the total cap of 100\.00 USD.*this deposit is 5,000\.00 USD/);
    // The console read SkinsBack's rates itself to decide, and keeps when.
    const rates = await bed.consoleDb.handle.db
      .select()
      .from(currencyRates)
      .where(eq(currencyRates.code, "eur"));
    expect(rates[0]?.rate).toBe("0.92");
  });

  it("a negative unsigned USD figure on money already released does not lower the exposure", async () => {
    const released = await heldDeposit("600.00", "eur");
    await bed.consoleDb.handle.db
      .update(deposits)
      .set({ status: "hold_approved" })
      .where(eq(deposits.transactionId, released));
    await writeUnsigned(released, "-100000");
    const next = await heldDeposit("600.00");
    await writeSetting(
      bed.consoleDb.handle.db,
      HOLD_CAPS_SETTING,
      { perPlayerUsd: null, totalUsd: "1000" },
      "test",
    );
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
    await writeSetting(
      bed.consoleDb.handle.db,
      HOLD_CAPS_SETTING,
      { perPlayerUsd: null, totalUsd: "1000" },
      "test",
    );
    const one = await approveHold(deps(), {
      transactionId: first,
      reason: "r",
      actor: OPERATOR,
      address: null,
    });
    expect(one.kind).toBe("approved");
    // SkinsBack's hold_approved notification has not arrived: the deposit is still in_hold here.
    const [row] = await bed.consoleDb.handle.db
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
    const [approval] = await bed.consoleDb.handle.db
      .select()
      .from(holdApprovals)
      .where(eq(holdApprovals.transactionId, first));
    expect(approval).toMatchObject({ state: "approved", usd: "900" }); // as SkinsBack sent it (a PHP float)
    // Once final, it stops counting.
    await bed.consoleDb.handle.db
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
    const before = await bed.sandboxApproveCalls();
    const result = await approveHold(deps(), {
      transactionId: id,
      reason: "bulk",
      actor: OPERATOR,
      address: null,
      bulk: true,
    });
    expect(result).toMatchObject({ kind: "refused" });
    expect(result.message).toMatch(/^medium risk/);
    const after = await bed.sandboxApproveCalls();
    expect(after).toBe(before);
  });
});
