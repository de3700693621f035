import { inArray, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/client";
import { webhookDeliveries } from "@/lib/db/schema";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationStream } from "@/lib/testing/notification-stream";
import { openLoop } from "@/lib/testing/open-loop";
import {
  type ProductionServer,
  signInCookie,
  startProductionServer,
  TEST_ADMIN_ENV,
} from "@/lib/testing/production-server";
import { NOTIFICATION_HEADERS, tally } from "./harness";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = 100;
/** Resident memory may grow this much after warm-up over the whole soak (caches, JIT, connection pool). */
const RSS_GROWTH_BOUND_MIB = 150;

describe(`soak: ${SECONDS} s at ${RATE} notifications/s with the deposit list polled (production build, PostgreSQL)`, () => {
  let server: ProductionServer | undefined;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it("no errors, every notification stored, resident memory within its bound", {
    timeout: (SECONDS + 120) * 1000,
  }, async () => {
    database = await createPostgresDatabase();
    server = await startProductionServer({ port: 3483, databaseUrl: database.url, env: TEST_ADMIN_ENV });
    const origin = server.origin;
    const cookie = await signInCookie(origin); // the deposit list is for signed-in operators
    const stream = notificationStream(5_000_000_000);
    const rss: number[] = [];
    let polls = 0;
    const pollFailures: string[] = [];
    const poller = setInterval(() => {
      fetch(`${origin}/api/deposits?limit=50`, { headers: { cookie }, signal: AbortSignal.timeout(5_000) })
        .then(async (r) => {
          const body = await r.json();
          if (!r.ok || !Array.isArray(body.items)) pollFailures.push(`HTTP ${r.status}`);
          polls += 1;
        })
        .catch((error: Error) => pollFailures.push(error.name));
    }, 1_000);
    let result: Awaited<ReturnType<typeof openLoop>>;
    try {
      result = await openLoop({
        url: `${origin}/api/webhooks/skinsback`,
        rate: RATE,
        seconds: SECONDS,
        headers: NOTIFICATION_HEADERS,
        nextBody: () => stream.next().body,
        onTick: (elapsed) => {
          if (rss.length < Math.floor(elapsed / 10_000) + 1) rss.push(server?.rssMiB() ?? 0);
        },
      });
    } finally {
      clearInterval(poller);
    }
    const afterWarmUp = rss[Math.min(6, rss.length - 1)] ?? 0;
    console.info(
      `soak: ${result.sent} sent, answers ${JSON.stringify(tally(Object.entries(result.statuses).flatMap(([k, n]) => Array(n).fill(k))))}, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${polls} list polls, rss every 10 s: ${rss.join(" ")} MiB`,
    );
    expect(result.failed).toBe(0);
    expect(pollFailures).toEqual([]);
    expect(polls).toBeGreaterThan(SECONDS * 0.8);
    expect(Math.max(...rss) - afterWarmUp).toBeLessThan(RSS_GROWTH_BOUND_MIB);
    const direct = openPostgres(database.url, { maxConnections: 1 });
    try {
      const [stored] = await direct.db
        .select({ n: sql<number>`count(*)::int` })
        .from(webhookDeliveries)
        .where(inArray(webhookDeliveries.outcome, ["applied", "duplicate", "stale", "conflict"]));
      expect(stored?.n).toBe(result.sent);
    } finally {
      await direct.close();
    }
  });
});
