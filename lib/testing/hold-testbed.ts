import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { deposits } from "@/lib/db/schema";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { advanceDue, createDeposit } from "@/lib/sandbox/engine";
import { deliverDue } from "@/lib/sandbox/outbox";
import { rng } from "@/lib/sandbox/world";
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from "./databases";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "./sandbox-harness";

/**
 * For a describe block about early approval: a console database and a sandbox (its own database) over loopback
 * HTTP, CS2 deposits the sandbox holds delivered to the console as in_hold, and the signed client the approval
 * calls SkinsBack with. Call inside `describe`; everything is opened before its tests and closed after.
 */
export function useHoldTestbed(kind: TestDatabaseKind, label: string) {
  let counter = 0;
  const bed = {
    consoleDb: undefined as unknown as TestDatabase,
    sandboxDb: undefined as unknown as TestDatabase,
    harness: undefined as unknown as Awaited<ReturnType<typeof startSandboxHarness>>,
    /** The signed client through the shared budget, as the approval route builds it. */
    client: () =>
      skinsbackGateway(
        bed.consoleDb.handle.db,
        { apiUrl: bed.harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS },
        "test",
      ),
    /** A CS2 deposit the sandbox holds, delivered to the console as in_hold; its later notifications wait. */
    heldDeposit: async (amountUsd = "25.00", currency = "usd"): Promise<string> => {
      counter += 1;
      const now = new Date();
      const d = await createDeposit(
        bed.harness.ctx,
        {
          orderId: `${label}-${kind}-${counter}-${now.getTime()}`,
          steamId: `7656119${String(10_000_000_000 + counter * 7919 + label.length).slice(-10)}`,
          currency,
          scenario: { game: "cs2", holdFlow: true, plan: ["in_hold", "success"] },
          createdAt: now,
          amountUsd,
        },
        rng(counter),
      );
      await advanceDue(bed.harness.ctx, new Date(now.getTime() + 60_000));
      await bed.deliverNotifications(new Date(now.getTime() + 60_000));
      const id = String(d.transactionId);
      const [row] = await bed.consoleDb.handle.db
        .select({ status: deposits.status })
        .from(deposits)
        .where(eq(deposits.transactionId, id));
      expect(row?.status).toBe("in_hold");
      return id;
    },
    /** Sends what the sandbox has due by `at` (bounded: at most ten rounds of 100). */
    deliverNotifications: async (at: Date) => {
      for (let round = 0; round < 10 && (await deliverDue(bed.harness.ctx, at, 100)).sent > 0; round++) {}
    },
    /** How many offer_approve calls reached the sandbox. */
    sandboxApproveCalls: async (): Promise<number> =>
      rowsOf<{ n: number }>(
        await bed.sandboxDb.handle.db.execute(
          sql`select count(*)::int as n from sandbox_requests where method = 'offer_approve'`,
        ),
      )[0]?.n ?? 0,
  };
  beforeAll(async () => {
    [bed.sandboxDb, bed.consoleDb] = await Promise.all([openTestDatabase(kind), openTestDatabase(kind)]);
    bed.harness = await startSandboxHarness({
      sandboxDb: bed.sandboxDb.handle.db,
      consoleDb: bed.consoleDb.handle.db,
    });
  });
  afterAll(async () => {
    await bed.harness?.close();
    await Promise.all([bed.sandboxDb?.drop(), bed.consoleDb?.drop()]);
  });
  return bed;
}
