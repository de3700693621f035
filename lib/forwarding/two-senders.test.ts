import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { addTestEndpoint } from "@/lib/testing/forward-endpoint";
import { startForwardReceiver } from "@/lib/testing/forward-receiver";
import { manualClock } from "@/lib/testing/manual-clock";
import { notificationRequest, sampleNotification, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { deliverDueMessages, type SenderDeps } from "./sender";

/**
 * Two instances on one PostgreSQL: each with its own connection pool, sending at the same time. The database's
 * claims must keep them apart: every message received exactly once, an endpoint never over its concurrency, and
 * each deposit's changes in order.
 */
describe("two instances sending at once (PostgreSQL)", () => {
  let database: TestDatabase;
  let other: ReturnType<typeof openPostgres>;
  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    other = openPostgres(database.url as string, { maxConnections: 10, connectTimeoutSeconds: 10 });
  });
  afterAll(async () => {
    await other?.close();
    await database?.drop();
  });

  it("every message once, never more than the endpoint's concurrency in flight, each deposit in order", async () => {
    // Each answer takes a little while, so the two senders' requests overlap at the receiver.
    const receiver = await startForwardReceiver({ answer: () => ({ status: 200, hangMs: 50 }) });
    try {
      const db = database.handle.db;
      await addTestEndpoint(db, "backend", receiver.url, { concurrency: 4 });
      const deps = { getDb: async () => db, credentials: TEST_CREDENTIALS };
      for (let i = 0; i < 100; i++) {
        const pending = sampleNotification({ status: "pending" });
        await receiveSkinsbackWebhook(deps, notificationRequest(pending));
        await receiveSkinsbackWebhook(
          deps,
          notificationRequest(
            sampleNotification({
              status: "success",
              transaction_id: pending.transaction_id,
              order_id: pending.order_id,
            }),
          ),
        );
      }
      const clock = manualClock();
      const sender = (handle: typeof db): SenderDeps => ({
        db: handle,
        now: clock.now,
        retryScheduleMs: [0],
        allowPrivateNetworks: false,
        project: TEST_CREDENTIALS,
      });
      // Each instance sends until nothing waits. A round that sends nothing (the other instance holds the slots)
      // yields for a moment; the rounds are bounded in count either way.
      const run = async (handle: typeof db) => {
        for (let round = 0; round < 2_000; round++) {
          const sent = await deliverDueMessages(sender(handle));
          if (sent.delivered > 0) continue;
          const [left] = rowsOf<{ n: number }>(
            await handle.execute(
              sql`select count(*)::int as n from forward_messages where state = 'waiting'`,
            ),
          );
          if (left?.n === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      await Promise.all([run(db), run(other.db)]);
      const perId = new Map<string, number>();
      for (const r of receiver.received) perId.set(r.webhookId, (perId.get(r.webhookId) ?? 0) + 1);
      expect(perId.size).toBe(200);
      expect([...perId.values()].every((n) => n === 1)).toBe(true);
      expect(receiver.load.maxInFlight).toBeLessThanOrEqual(4);
      expect(receiver.load.maxInFlight).toBeGreaterThan(1);
      const order = new Map<string, number[]>();
      for (const r of receiver.received) {
        const data = JSON.parse(r.body).data as { transaction_id: string; sequence: number };
        order.set(data.transaction_id, [...(order.get(data.transaction_id) ?? []), data.sequence]);
      }
      expect([...order.values()].every((s) => s.join() === "1,2")).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
