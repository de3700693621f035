import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { deliverDue } from "@/lib/sandbox/outbox";
import { createLiveDeposit, seedHistory } from "@/lib/sandbox/seed";
import { updateSwitches } from "@/lib/sandbox/switches";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { addTestEndpoint } from "@/lib/testing/forward-endpoint";
import { startForwardReceiver } from "@/lib/testing/forward-receiver";
import { manualClock } from "@/lib/testing/manual-clock";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { deliverDueMessages } from "./sender";

/**
 * The whole path: the sandbox's seeded history and live traffic, sent (with duplicates) to the console's Result
 * URL, then forwarded. Every applied change reaches the merchant once; duplicates and stale notifications reach
 * it not at all.
 */
describe("the seed's history and live traffic, forwarded", () => {
  let sandboxDb: TestDatabase;
  let consoleDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  beforeAll(async () => {
    [sandboxDb, consoleDb] = await Promise.all([openTestDatabase("pglite"), openTestDatabase("postgres")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([sandboxDb?.drop(), consoleDb?.drop()]);
  });

  it("every applied change arrives once, in order per deposit; duplicates and stale ones send nothing", {
    timeout: 120_000,
  }, async () => {
    const clock = manualClock();
    let secret = "";
    const receiver = await startForwardReceiver({ secrets: () => [secret], now: clock.now });
    try {
      secret = (await addTestEndpoint(consoleDb.handle.db, "merchant", receiver.url)).secret;
      const { ctx } = harness;
      const now = new Date();
      await updateSwitches(ctx.db, { duplicate: true, outOfOrder: true });
      await seedHistory(ctx, now, { deposits: 150 });
      for (let i = 0; i < 10; i++) await createLiveDeposit(ctx, new Date(now.getTime() + i * 1_000));
      for (
        let round = 0;
        round < 200 && (await deliverDue(ctx, new Date(now.getTime() + 600_000), 100)).sent > 0;
        round++
      ) {}
      const deps = {
        db: consoleDb.handle.db,
        now: clock.now,
        retryScheduleMs: [0],
        allowPrivateNetworks: false,
        project: SANDBOX_TEST_CREDENTIALS,
      };
      for (let round = 0; round < 500; round++) {
        const sent = await deliverDueMessages(deps);
        if (sent.delivered + sent.retry + sent.failed === 0) break;
      }
      const [counts] = rowsOf<{ applied: number; flagged: number; duplicates: number; changes: number }>(
        await consoleDb.handle.db.execute(sql`select
          (select count(*)::int from deposit_events where outcome = 'applied') as applied,
          (select count(*)::int from deposit_events where outcome = 'conflict' or (outcome = 'applied' and note is not null)) as flagged,
          (select count(*)::int from deposit_events where outcome in ('duplicate', 'stale')) as duplicates,
          (select count(*)::int from deposit_changes) as changes`),
      );
      expect(counts?.applied).toBeGreaterThan(150);
      expect(counts?.duplicates).toBeGreaterThan(0); // the switches made some
      expect(counts?.changes).toBe((counts?.applied ?? 0) + (counts?.flagged ?? 0));
      expect(receiver.received.every((r) => r.verified !== undefined)).toBe(true);
      const keys = receiver.received.map((r) => {
        const data = (r.verified?.data ?? {}) as { transaction_id: string; sequence: number };
        return `${data.transaction_id}#${data.sequence}`;
      });
      expect(new Set(keys).size).toBe(counts?.changes);
      expect(keys.length).toBe(counts?.changes); // each once: a healthy receiver never sees a repeat
      const perDeposit = new Map<string, number[]>();
      for (const key of keys) {
        const [id, sequence] = key.split("#") as [string, string];
        perDeposit.set(id, [...(perDeposit.get(id) ?? []), Number(sequence)]);
      }
      for (const [id, sequences] of perDeposit) {
        expect(sequences, id).toEqual(sequences.map((_, i) => i + 1));
      }
    } finally {
      await receiver.close();
    }
  });
});
