import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, deposits, holdApprovals } from "@/lib/db/schema";
import { HOLD_CAPS_SETTING } from "@/lib/holds/settings";
import { addDecimal, compareDecimal } from "@/lib/money/decimal";
import { formatMoney } from "@/lib/money/format";
import { writeSetting } from "@/lib/settings/store";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { useHoldTestbed } from "@/lib/testing/hold-testbed";
import { approveHold } from "./approve";
import { readExposure } from "./exposure";
import { readHoldQueue } from "./queue";

const OPERATOR = { kind: "operator" as const, id: "op-1", email: "ops@example.test" };

describe.each(TEST_DATABASE_KINDS)("approving held deposits early on %s", (kind) => {
  const bed = useHoldTestbed(kind, "hold");
  const { client, heldDeposit, sandboxApproveCalls } = bed;

  it("10 concurrent approvals of one deposit send one offer_approve; the others say who approved it", async () => {
    const transactionId = await heldDeposit();
    const before = await sandboxApproveCalls();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        approveHold(
          { db: bed.consoleDb.handle.db, client: client() },
          { transactionId, reason: `looks fine (${i})`, actor: OPERATOR, address: "127.0.0.1" },
        ),
      ),
    );
    expect(results.filter((r) => r.kind === "approved")).toHaveLength(1);
    const others = results.filter((r) => r.kind !== "approved");
    expect(others).toHaveLength(9);
    for (const r of others) {
      expect(r.kind).toBe("already");
      expect(r.message).toMatch(/already (being )?approved by ops@example\.test/);
    }
    expect((await sandboxApproveCalls()) - before).toBe(1);
    const [approval] = await bed.consoleDb.handle.db
      .select()
      .from(holdApprovals)
      .where(eq(holdApprovals.transactionId, transactionId));
    expect(approval).toMatchObject({ state: "approved", operatorEmail: "ops@example.test" });

    // SkinsBack's notification makes it hold_approved; the audit log has who and why.
    const later = new Date(Date.now() + 5_000);
    await bed.deliverNotifications(later);
    const [row] = await bed.consoleDb.handle.db
      .select({ status: deposits.status })
      .from(deposits)
      .where(eq(deposits.transactionId, transactionId));
    expect(row?.status).toBe("hold_approved");
    const acts = await bed.consoleDb.handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.transactionId, transactionId));
    expect(acts.filter((a) => a.action === "hold.approve" && a.outcome === "ok")).toHaveLength(1);
    expect(JSON.stringify(acts[0]?.detail)).toContain("looks fine");

    // A later attempt: already approved, no call.
    const again = await approveHold(
      { db: bed.consoleDb.handle.db, client: client() },
      { transactionId, reason: "again", actor: OPERATOR, address: null },
    );
    expect(again.kind).toBe("already");
    expect((await sandboxApproveCalls()) - before).toBe(1);
  });

  it("bulk approval takes low risk only: a deposit with unreadable risk data is refused and not sent", async () => {
    const transactionId = await heldDeposit();
    await bed.consoleDb.handle.db
      .update(deposits)
      .set({ userRisk: { total_deposits_count: "-1", joined_at: "yesterday" } })
      .where(eq(deposits.transactionId, transactionId));
    const before = await sandboxApproveCalls();
    const result = await approveHold(
      { db: bed.consoleDb.handle.db, client: client() },
      { transactionId, reason: "bulk", actor: OPERATOR, address: null, bulk: true },
    );
    expect(result).toEqual({
      kind: "refused",
      message: expect.stringContaining("medium risk: approve it on its own"),
    });
    expect(await sandboxApproveCalls()).toBe(before);
  });

  it("SkinsBack's error 5 (approved or cancelled elsewhere) is 'already', not a failure", async () => {
    const transactionId = await heldDeposit();
    // Approved behind the console's back (in SkinsBack's panel): the console still shows in_hold.
    await client().call("offer_approve", { transaction_id: transactionId });
    const result = await approveHold(
      { db: bed.consoleDb.handle.db, client: client() },
      { transactionId, reason: "ok", actor: OPERATOR, address: null },
    );
    expect(result).toEqual({
      kind: "already",
      message: expect.stringContaining("already approved or cancelled"),
    });
  });

  it("a cap refuses an approval above it, naming the cap; the queue shows the risk panel's figures", async () => {
    const small = await heldDeposit("40.00");
    const big = await heldDeposit("300.00");
    const { items: queue } = await readHoldQueue(bed.consoleDb.handle.db, {});
    const shown = queue.find((h) => h.transactionId === big);
    expect(compareDecimal(shown?.amountUsd ?? "0", "300")).toBe(0); // the figure the cap is judged on
    expect(shown?.history.deposits).toBe(1);
    // The cap is set from what is released now, whatever other tests approved: 100 USD of room.
    const released = (await readExposure(bed.consoleDb.handle.db)).totals.usd;
    const cap = addDecimal(released, "100");
    await writeSetting(
      bed.consoleDb.handle.db,
      HOLD_CAPS_SETTING,
      { perPlayerUsd: null, totalUsd: cap },
      "test",
    );
    try {
      const refused = await approveHold(
        { db: bed.consoleDb.handle.db, client: client() },
        { transactionId: big, reason: "big one", actor: OPERATOR, address: null },
      );
      expect(refused.kind).toBe("refused");
      expect(refused.message).toContain(`total cap of ${formatMoney(cap, "usd")}`);
      const fits = await approveHold(
        { db: bed.consoleDb.handle.db, client: client() },
        { transactionId: small, reason: "small one", actor: OPERATOR, address: null },
      );
      expect(fits.kind, fits.message).toBe("approved"); // 40 ≤ 100
    } finally {
      await writeSetting(
        bed.consoleDb.handle.db,
        HOLD_CAPS_SETTING,
        { perPlayerUsd: null, totalUsd: null },
        "test",
      );
    }
  });
});
