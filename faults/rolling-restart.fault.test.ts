import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openPostgres } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { newSigningSecret } from "@/lib/forwarding/secrets";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { startForwardReceiver } from "@/lib/testing/forward-receiver";
import { notificationStream } from "@/lib/testing/notification-stream";
import { openLoop } from "@/lib/testing/open-loop";
import { type ProductionServer, startProductionServer } from "@/lib/testing/production-server";
import { NOTIFICATION_HEADERS, type Sent, tally } from "./harness";

/**
 * A load balancer on loopback, as production has one: round-robin over the instances whose /api/health answered
 * 200 at its last check (every 200 ms; a check that times out changes nothing). A request it cannot pass on is answered 599 with the error (598: no
 * instance was healthy), so the test sees every refused connection and every reset.
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
          // An answer decides (200 in, anything else out), and so does a refused connection; a check that is
          // only slow (two cores saturated while an instance boots) keeps what the last answer said.
          const ok = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2_000) })
            .then((r) => r.ok)
            .catch((error: Error) =>
              error.name === "TimeoutError" ? (healthy.get(origin) ?? false) : false,
            );
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
      res.writeHead(598).end("no healthy instance");
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
  const databases: Awaited<ReturnType<typeof createPostgresDatabase>>[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop("SIGKILL");
    for (const d of databases) await d.drop();
  });

  // Two runs: the restart at 200 notifications/s, and forwarding across a restart at 50/s (on two cores, 200/s
  // plus a forwarded message per change plus the receiver saturates the machine, and health checks time out).
  it.each([
    { rate: 200, forwarding: false },
    { rate: 50, forwarding: true },
  ])(
    "at $rate/s (forwarding: $forwarding): nothing acknowledged is lost, no request refused or reset, nothing applied twice, each exits 0",
    async ({ rate, forwarding }) => {
      const database = await createPostgresDatabase();
      databases.push(database);
      const direct = openPostgres(database.url, { maxConnections: 2 });
      await migrateDatabase({ kind: "postgres", url: database.url }, direct);
      const ports = [3491, 3492];
      // The merchant's backend: every change forwarded to it, verified by the standardwebhooks package.
      const secret = newSigningSecret();
      const backend = await startForwardReceiver({ secrets: () => [secret] });
      const env: Record<string, string> = {
        // Longer than the default 5 s: on two saturated cores a health check can take seconds to come back.
        SHUTDOWN_DRAIN_SECONDS: "8",
        ...(forwarding
          ? {
              CONSOLE_FORWARD_URL: backend.url,
              CONSOLE_FORWARD_SECRET: secret,
              FORWARD_ALLOW_PRIVATE_NETWORKS: "1",
            }
          : {}),
      };
      const start = (port: number) => startProductionServer({ port, databaseUrl: database.url, env });
      const current: ProductionServer[] = await Promise.all(ports.map(start));
      servers.push(...current);
      const balancer = await startBalancer(() => current.map((s) => s.origin));
      // The configured endpoint is created once the database answers (after /api/health says 200): it gets the
      // changes from then on, so the load starts when it exists.
      for (let i = 0; i < 100; i++) {
        const [row] = rowsOf<{ n: number }>(
          await direct.db.execute(sql`select count(*)::int as n from forward_endpoints`),
        );
        if (!forwarding || row?.n === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
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
        rate,
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
        `rolling restart: ${restarts.join("; ")}; answers ${JSON.stringify(tally(answers.values()))}; ` +
          `balancer errors ${JSON.stringify(tally(balancer.errors))}`,
      );

      expect(exits).toEqual([0, 0]);
      // No request was refused or cut: every one reached an instance that answered it.
      expect(balancer.errors).toEqual([]);
      expect([...answers.values()].filter((a) => a === 598 || a === 599 || typeof a === "string")).toEqual(
        [],
      );
      // Answered 503 (not stored, "send again") is what an overloaded instance says while the other one boots;
      // SkinsBack lists those and the failed-list sync replays them. What was acknowledged must all be there.
      const acknowledged = sent.filter((_, i) => answers.get(i) === 200);
      expect(acknowledged.length).toBeGreaterThan(sent.length * 0.8);
      const events = rowsOf<{ transaction_id: string; status: string; applied: number }>(
        await direct.db.execute(sql`select transaction_id, status::text as status,
          count(*) filter (where outcome = 'applied')::int as applied
        from deposit_events group by 1, 2`),
      );
      const stored = new Map(events.map((e) => [`${e.transaction_id}:${e.status}`, e.applied]));
      const lost = acknowledged.filter((s) => !stored.has(`${s.transactionId}:${s.status}`));
      expect(lost).toEqual([]);
      expect(events.filter((e) => e.applied > 1)).toEqual([]);
      if (forwarding) {
        // Forwarding went on across both restarts: every applied change reaches the backend (a send cut by a stop is
        // sent again by the other instance, with the same webhook-id), none is failed. Bounded wait: 60 s.
        const waiting = async () =>
          rowsOf<{ waiting: number; failed: number; total: number }>(
            await direct.db.execute(sql`select count(*) filter (where state = 'waiting')::int as waiting,
              count(*) filter (where state = 'failed')::int as failed, count(*)::int as total from forward_messages`),
          )[0];
        for (let i = 0; i < 120 && (await waiting())?.waiting; i++)
          await new Promise((r) => setTimeout(r, 500));
        const messages = await waiting();
        expect(messages).toMatchObject({ waiting: 0, failed: 0 });
        // One message per applied change (a late in_hold after its success is stale: applied nowhere, sent nowhere).
        expect(messages?.total).toBe(events.reduce((n, e) => n + e.applied, 0));
        const verified = new Set(backend.received.filter((r) => r.verified).map((r) => r.webhookId));
        expect(verified.size).toBe(messages?.total);
      }
      for (const server of current) await server.stop("SIGKILL");
      await backend.close();
      await direct.close();
    },
  );
});
