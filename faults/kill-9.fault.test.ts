import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/client";
import { depositEvents, deposits, webhookDeliveries } from "@/lib/db/schema";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationStream } from "@/lib/testing/notification-stream";
import { openLoop } from "@/lib/testing/open-loop";
import { type ProductionServer, startProductionServer } from "@/lib/testing/production-server";
import { NOTIFICATION_HEADERS, post, type Sent, tally } from "./harness";

describe("kill -9 of the app under load (production build, PostgreSQL)", () => {
  let server: ProductionServer | undefined;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  afterAll(async () => {
    await server?.stop("SIGKILL");
    await database?.drop();
  });

  it("every notification answered 200 is stored, none is applied twice, the rest apply once when sent again", async () => {
    database = await createPostgresDatabase();
    const port = 3481;
    server = await startProductionServer({ port, databaseUrl: database.url });
    const url = `${server.origin}/api/webhooks/skinsback`;
    const stream = notificationStream(3_000_000_000);
    const sent: Sent[] = [];
    const answers = new Map<number, number | string>();
    let killedAt = 0;
    await openLoop({
      url,
      rate: 200,
      seconds: 6,
      headers: NOTIFICATION_HEADERS,
      timeoutMs: 3_000,
      nextBody: (i) => {
        sent[i] = stream.next();
        return (sent[i] as Sent).body;
      },
      onResponse: (i, answer) => answers.set(i, answer),
      onTick: async (elapsed) => {
        if (!killedAt && elapsed > 3_000) {
          killedAt = elapsed;
          await server?.stop("SIGKILL");
        }
      },
    });
    const acknowledged = sent.filter((_, i) => answers.get(i) === 200);
    const unanswered = sent.filter((_, i) => answers.get(i) !== 200);
    console.info(`kill -9 at ${killedAt.toFixed(0)} ms: answers ${JSON.stringify(tally(answers.values()))}`);
    expect(acknowledged.length).toBeGreaterThan(300);
    expect(unanswered.length).toBeGreaterThan(100);

    server = await startProductionServer({ port, databaseUrl: database.url });
    const direct = openPostgres(database.url, { maxConnections: 2 });
    try {
      // Every acknowledged notification has its event: a 200 was only ever sent after the commit.
      const events = await direct.db
        .select({ transactionId: depositEvents.transactionId, status: depositEvents.status })
        .from(depositEvents);
      const stored = new Set(events.map((e) => `${e.transactionId}:${e.status}`));
      const lost = acknowledged.filter((s) => !stored.has(`${s.transactionId}:${s.status}`));
      expect(lost).toEqual([]);

      // What was not acknowledged is what SkinsBack lists as failed: sent again, it applies once.
      for (const s of unanswered)
        expect(await post(`${server.origin}/api/webhooks/skinsback`, s.body)).toBe(200);
      const twice = await direct.db
        .select({
          transactionId: depositEvents.transactionId,
          status: depositEvents.status,
          n: sql<number>`count(*)::int`,
        })
        .from(depositEvents)
        .where(eq(depositEvents.outcome, "applied"))
        .groupBy(depositEvents.transactionId, depositEvents.status)
        .having(sql`count(*) > 1`);
      expect(twice).toEqual([]);
      const settled = new Set(sent.filter((s) => s.status === "success").map((s) => s.transactionId));
      const [wrong] = await direct.db
        .select({ n: sql<number>`count(*)::int` })
        .from(deposits)
        .where(and(inArray(deposits.transactionId, [...settled]), ne(deposits.status, "success")));
      expect(wrong?.n).toBe(0);
      // The address recorded is the socket's (loopback), not the forged X-Forwarded-For.
      const addresses = await direct.db
        .selectDistinct({ address: webhookDeliveries.remoteAddress })
        .from(webhookDeliveries);
      expect(addresses).toEqual([{ address: "127.0.0.1" }]);
      const [all] = await direct.db.select({ n: sql<number>`count(*)::int` }).from(deposits);
      expect(all?.n).toBe(new Set(sent.map((s) => s.transactionId)).size);
    } finally {
      await direct.close();
    }
  });
});
