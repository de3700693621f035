import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { openTestDatabase } from "@/lib/testing/databases";
import { addTestEndpoint } from "@/lib/testing/forward-endpoint";
import { startForwardReceiver } from "@/lib/testing/forward-receiver";
import { manualClock } from "@/lib/testing/manual-clock";
import { notificationRequest, sampleNotification, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { spawnTsx } from "@/lib/testing/worker-process";
import { deliverDueMessages } from "./sender";

describe("a sending app process killed with kill -9 (PostgreSQL)", () => {
  it("nothing is lost; what it sent and did not record goes again with the same webhook-id", {
    timeout: 120_000,
  }, async () => {
    const database = await openTestDatabase("postgres");
    const receiver = await startForwardReceiver({ answer: () => ({ status: 200, hangMs: 20 }) });
    try {
      const db = database.handle.db;
      await addTestEndpoint(db, "backend", receiver.url);
      for (let i = 0; i < 300; i++) {
        await receiveSkinsbackWebhook(
          { getDb: async () => db, credentials: TEST_CREDENTIALS },
          notificationRequest(sampleNotification({ status: "success" })),
        );
      }
      const first = spawnTsx("lib/testing/forward-worker.ts", [database.url as string], "ignore");
      const deadline = Date.now() + 60_000;
      while (receiver.received.length < 60 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      const exited = new Promise((resolve) => first.once("exit", resolve));
      first.kill("SIGKILL");
      await exited;
      const atKill = receiver.received.length;
      expect(atKill).toBeGreaterThanOrEqual(60);
      expect(atKill).toBeLessThan(300);

      // Another instance, once the dead one's claims have lapsed (45 s on its clock).
      const clock = manualClock(new Date(Date.now() + 60_000).toISOString());
      for (let round = 0; round < 100; round++) {
        const sent = await deliverDueMessages({
          db,
          now: clock.now,
          retryScheduleMs: [0],
          allowPrivateNetworks: false,
          project: TEST_CREDENTIALS,
        });
        if (sent.delivered === 0) break;
      }
      const [counts] = rowsOf<{ delivered: number; waiting: number }>(
        await db.execute(sql`select count(*) filter (where state = 'delivered')::int as delivered,
                                    count(*) filter (where state <> 'delivered')::int as waiting from forward_messages`),
      );
      expect(counts).toEqual({ delivered: 300, waiting: 0 });
      const idsPerChange = new Map<string, Set<string>>();
      for (const r of receiver.received) {
        const change = String(JSON.parse(r.body).data.event_id);
        idsPerChange.set(change, (idsPerChange.get(change) ?? new Set()).add(r.webhookId));
      }
      expect(idsPerChange.size).toBe(300);
      expect([...idsPerChange.values()].every((ids) => ids.size === 1)).toBe(true);
    } finally {
      await receiver.close();
      await database.drop();
    }
  });
});
