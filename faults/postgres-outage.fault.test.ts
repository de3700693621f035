import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/client";
import { depositEvents } from "@/lib/db/schema";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationStream } from "@/lib/testing/notification-stream";
import { openLoop } from "@/lib/testing/open-loop";
import { type ProductionServer, startProductionServer } from "@/lib/testing/production-server";
import { TcpProxy } from "@/lib/testing/tcp-proxy";
import { NOTIFICATION_HEADERS, type Sent, tally } from "./harness";

/**
 * PostgreSQL taken away mid-stream, twice: refused (the server is down) and then accepting connections without
 * answering (hung). The app reaches the real server through a loopback TCP proxy that the test cuts, so the
 * machine's PostgreSQL itself keeps running for everything else.
 */
const PHASES = [
  { until: 5_000, db: "up" },
  { until: 12_000, db: "down" },
  { until: 17_000, db: "up" },
  { until: 24_000, db: "hung" },
  { until: 32_000, db: "up" },
] as const;
const LAST_PHASE = PHASES[4];
const phaseAt = (ms: number) => PHASES.find((p) => ms < p.until) ?? LAST_PHASE;

describe("PostgreSQL down and hung during a stream of notifications (production build)", () => {
  const proxy = new TcpProxy("127.0.0.1", 5432);
  let server: ProductionServer | undefined;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  afterAll(async () => {
    await server?.stop();
    await proxy.stop();
    await database?.drop();
  });

  it("each request gets 503 within 2 s while it is away, nothing hangs, memory stays flat, and it recovers", async () => {
    database = await createPostgresDatabase();
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    server = await startProductionServer({ port: 3482, databaseUrl: viaProxy.toString() });
    const stream = notificationStream(4_000_000_000);
    const rate = 50;
    const sent: (Sent & { dueMs: number })[] = [];
    const answers = new Map<number, { answer: number | string; latency: number }>();
    let current = "up";
    const rss: number[] = [];
    await openLoop({
      url: `${server.origin}/api/webhooks/skinsback`,
      rate,
      seconds: LAST_PHASE.until / 1000,
      headers: NOTIFICATION_HEADERS,
      timeoutMs: 5_000,
      nextBody: (i) => {
        sent[i] = { ...stream.next(), dueMs: (i * 1000) / rate };
        return (sent[i] as Sent).body;
      },
      onResponse: (i, answer, latency) => answers.set(i, { answer, latency }),
      onTick: async (elapsed) => {
        rss.push(server?.rssMiB() ?? 0);
        const wanted = phaseAt(elapsed).db;
        if (wanted === current) return;
        await proxy.stop();
        if (wanted !== "down") await proxy.start(wanted === "hung" ? "blackHole" : "forward");
        current = wanted;
      },
    });
    console.info(
      `outage: answers ${JSON.stringify(tally([...answers.values()].map((a) => a.answer)))}, rss ${rss.join(" ")} MiB`,
    );

    const slow = [...answers]
      .filter(([, a]) => a.latency >= 2_000)
      .map(
        ([i, a]) =>
          `${(sent[i]?.dueMs ?? 0).toFixed(0)}ms:${phaseAt(sent[i]?.dueMs ?? 0).db}:${a.answer}:${a.latency.toFixed(0)}`,
      );
    if (slow.length > 0)
      console.info(`slow answers (due:phase:answer:latency): ${slow.slice(0, 40).join(" ")}`);
    const refusedWhileUp = [...answers]
      .filter(([i, a]) => phaseAt(sent[i]?.dueMs ?? 0).db === "up" && a.answer !== 200)
      .map(([i, a]) => `${(sent[i]?.dueMs ?? 0).toFixed(0)}ms:${a.answer}`);
    console.info(`not 200 while up (due:answer): ${refusedWhileUp.join(" ")}`);
    // Every request was answered (none hung past the client's 5 s), and within 2 s.
    expect([...answers.values()].filter((a) => typeof a.answer !== "number")).toEqual([]);
    const slowest = Math.max(...[...answers.values()].map((a) => a.latency));
    console.info(`outage: slowest answer ${slowest.toFixed(0)} ms`);
    expect(slowest).toBeLessThan(2_000);
    // Well inside each phase (1 s margin for the switch itself): away → 503, back → 200 without a restart.
    const inside = (i: number, db: string) => {
      const due = sent[i]?.dueMs ?? 0;
      return phaseAt(due).db === db && phaseAt(due - 1_000).db === db && phaseAt(due + 1_000).db === db;
    };
    const answersWhere = (db: string) => [...answers].filter(([i]) => inside(i, db)).map(([, a]) => a.answer);
    expect(answersWhere("down").length).toBeGreaterThan(200);
    expect(new Set(answersWhere("down"))).toEqual(new Set([503]));
    expect(new Set(answersWhere("hung"))).toEqual(new Set([503]));
    expect(new Set(answersWhere("up"))).toEqual(new Set([200]));
    // Memory flat: no queue of stuck work builds up while the database is away.
    const settledRss = rss.slice(2);
    expect(Math.max(...settledRss) - Math.min(...settledRss)).toBeLessThan(96);

    // Every acknowledged notification is stored, once.
    const direct = openPostgres(database.url, { maxConnections: 2 });
    try {
      const acknowledged = sent.filter((_, i) => answers.get(i)?.answer === 200);
      const events = await direct.db
        .select({ key: sql<string>`${depositEvents.transactionId} || ':' || ${depositEvents.status}` })
        .from(depositEvents)
        .where(eq(depositEvents.outcome, "applied"));
      const stored = new Set(events.map((e) => e.key));
      expect(acknowledged.filter((s) => !stored.has(`${s.transactionId}:${s.status}`))).toEqual([]);
      expect(stored.size).toBe(events.length);
    } finally {
      await direct.close();
    }
  });
});
