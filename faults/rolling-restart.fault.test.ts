import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openPostgres } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationStream } from "@/lib/testing/notification-stream";
import { openLoop } from "@/lib/testing/open-loop";
import { type ProductionServer, startProductionServer } from "@/lib/testing/production-server";
import { NOTIFICATION_HEADERS, type Sent, tally } from "./harness";

/**
 * A load balancer on loopback, as production has one: round-robin over the instances whose /api/health answered
 * 200 at its last check (every 200 ms). A request it cannot pass on is answered 599 with the error, so the test
 * sees every refused connection and every reset.
 */
async function startBalancer(backends: () => string[]) {
  const healthy = new Map<string, boolean>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const errors: string[] = [];
  let next = 0;
  let checking = true;
  void (async () => {
    while (checking) {
      await Promise.all(
        backends().map(async (origin) => {
          const ok = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(500) })
            .then((r) => r.ok)
            .catch(() => false);
          healthy.set(origin, ok);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const server = http.createServer((req, res) => {
    const live = backends().filter((o) => healthy.get(o));
    const origin = live[next++ % Math.max(1, live.length)];
    if (!origin) {
      res.writeHead(503).end("no healthy instance");
      return;
    }
    const target = new URL(req.url ?? "/", origin);
    const upstream = http.request(target, { method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      errors.push(`${origin}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
      if (!res.headersSent) res.writeHead(599).end((error as Error).message);
      else res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/skinsback`,
    errors,
    healthy,
    close: async () => {
      checking = false;
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("a rolling restart of two instances under 200 notifications/s (production build, PostgreSQL)", () => {
  const servers: ProductionServer[] = [];
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  afterAll(async () => {
    for (const s of servers) await s.stop("SIGKILL");
    await database?.drop();
  });

  it("no acknowledged notification is lost, no request is refused or reset, nothing applied twice, each exits 0", async () => {
    database = await createPostgresDatabase();
    const direct = openPostgres(database.url, { maxConnections: 2 });
    await migrateDatabase({ kind: "postgres", url: database.url }, direct);
    const ports = [3491, 3492];
    const env = { SHUTDOWN_DRAIN_SECONDS: "2" };
    const start = (port: number) =>
      startProductionServer({ port, databaseUrl: database?.url as string, env });
    const current: ProductionServer[] = await Promise.all(ports.map(start));
    servers.push(...current);
    const balancer = await startBalancer(() => current.map((s) => s.origin));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const stream = notificationStream(4_000_000_000);
    const sent: Sent[] = [];
    const answers = new Map<number, number | string>();
    const exits: (number | null)[] = [];
    const restarts: string[] = [];
    let step = 0;
    const restart = async (index: number) => {
      const old = current[index] as ProductionServer;
      const began = Date.now();
      exits.push(await old.stop("SIGTERM"));
      restarts.push(`instance ${index + 1} stopped in ${Date.now() - began} ms`);
      const fresh = await start(ports[index] as number);
      servers.push(fresh);
      current[index] = fresh;
      // The balancer sends to it again only once its health check says 200.
      for (let i = 0; i < 50 && !balancer.healthy.get(fresh.origin); i++)
        await new Promise((r) => setTimeout(r, 100));
      restarts.push(`instance ${index + 1} back after ${Date.now() - began} ms`);
    };
    let rolling: Promise<void> | undefined;
    await openLoop({
      url: balancer.url,
      rate: 200,
      seconds: 40,
      headers: NOTIFICATION_HEADERS,
      timeoutMs: 15_000,
      nextBody: (i) => {
        sent[i] = stream.next();
        return (sent[i] as Sent).body;
      },
      onResponse: (i, answer) => answers.set(i, answer),
      onTick: (elapsed) => {
        if (step === 0 && elapsed > 3_000) {
          step = 1;
          rolling = restart(0).then(() => restart(1));
        }
      },
    });
    await rolling;
    await balancer.close();
    console.info(
      `rolling restart: ${restarts.join("; ")}; answers ${JSON.stringify(tally(answers.values()))}`,
    );

    expect(exits).toEqual([0, 0]);
    expect(balancer.errors).toEqual([]);
    const acknowledged = sent.filter((_, i) => answers.get(i) === 200);
    expect(acknowledged.length).toBe(sent.length);
    const events = rowsOf<{ transaction_id: string; status: string; applied: number }>(
      await direct.db.execute(sql`select transaction_id, status::text as status,
          count(*) filter (where outcome = 'applied')::int as applied
        from deposit_events group by 1, 2`),
    );
    const stored = new Map(events.map((e) => [`${e.transaction_id}:${e.status}`, e.applied]));
    const lost = acknowledged.filter((s) => !stored.has(`${s.transactionId}:${s.status}`));
    expect(lost).toEqual([]);
    expect(events.filter((e) => e.applied > 1)).toEqual([]);
    await direct.close();
  });
});
