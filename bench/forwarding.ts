/**
 * Forwarding on the production build against PostgreSQL, each figure next to a baseline from the same run:
 * - ingest throughput with one endpoint enabled vs none (interleaved rounds) — target ≥ 0.90;
 * - messages delivered per second to a loopback receiver vs ingest throughput in the same round — target ≥ 1.0;
 * - webhook in → merchant receives, at 50 notifications/s (open loop): p50 ≤ 50 ms, p99 ≤ 250 ms;
 * - a 10,000-message backlog after an outage (endpoint paused, then enabled) drains at ≥ 200 messages/s.
 *   npm run bench -- forwarding       (BENCH_SECONDS=10 per round, BENCH_BACKLOG=10000)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import autocannon from "autocannon";
import postgres from "postgres";
import { xSign } from "@/lib/skinsback/signature";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationStream } from "@/lib/testing/notification-stream";
import { TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { openLoop, percentile } from "@/lib/testing/open-loop";
import { startProductionServer } from "@/lib/testing/production-server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 10_000);
const SECRET = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;

// The merchant's backend: answers 204 at once and notes when each change arrived.
const arrivals = new Map<string, number>();
let received = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    received += 1;
    try {
      const { data } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        data: { transaction_id: string; status: string };
      };
      const key = `${data.transaction_id}:${data.status}`;
      if (!arrivals.has(key)) arrivals.set(key, performance.now());
    } catch {
      // not a message
    }
    res.writeHead(204).end();
  });
});
receiver.keepAliveTimeout = 5_000;
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const database = await createPostgresDatabase();
const server = await startProductionServer({
  port: 3473,
  databaseUrl: database.url,
  env: {
    CONSOLE_FORWARD_URL: receiverUrl,
    CONSOLE_FORWARD_SECRET: SECRET,
    FORWARD_ALLOW_PRIVATE_NETWORKS: "1",
  },
});
const sql = postgres(database.url, { max: 2, onnotice: () => {} });
const setEndpoint = (state: "enabled" | "paused") => sql`update forward_endpoints set state = ${state}`;
const withEndpoint = async (on: boolean) => {
  // "None": no endpoint at all (no message is even written); "one": the endpoint from CONSOLE_FORWARD_URL.
  if (on) await sql`update forward_endpoints set event_types = '{}'::text[], state = 'enabled'`;
  else await sql`update forward_endpoints set event_types = '{console.none}'::text[]`;
};
const waiting = async () =>
  Number((await sql`select count(*)::int as n from forward_messages where state = 'waiting'`)[0]?.n ?? 0);

const headers = {
  "content-type": "application/json",
  "x-sign": xSign(TEST_CREDENTIALS.clientId, TEST_CREDENTIALS.clientSecret),
};
let streamStart = 2_000_000_000;

async function ingest(seconds: number): Promise<{ rps: number; total: number; non2xx: number }> {
  streamStart += 10_000_000;
  const stream = notificationStream(streamStart);
  const result = await autocannon({
    url: `${server.origin}/api/webhooks/skinsback`,
    connections: 10,
    duration: seconds,
    requests: [{ method: "POST", headers, setupRequest: (r) => ({ ...r, body: stream.next().body }) }],
  });
  return { rps: result.requests.average, total: result.requests.total, non2xx: result.non2xx };
}

async function drained(limitMs: number): Promise<number> {
  const started = performance.now();
  while ((await waiting()) > 0 && performance.now() - started < limitMs)
    await new Promise((r) => setTimeout(r, 100));
  return performance.now() - started;
}

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model}; ${new Date().toISOString()}`);
console.log(`production build, PostgreSQL on 127.0.0.1, receiver on loopback; ${SECONDS} s rounds`);
await withEndpoint(true);
await ingest(3); // warm up
await drained(30_000);

// 1 and 2: interleaved rounds without and with the endpoint; deliveries counted during each round.
const none: number[] = [];
const one: number[] = [];
const deliveredRate: number[] = [];
for (let round = 0; round < 2; round++) {
  await withEndpoint(false);
  none.push((await ingest(SECONDS)).rps);
  await withEndpoint(true);
  const before = received;
  const started = performance.now();
  const loaded = await ingest(SECONDS);
  const during = received - before;
  const elapsed = (performance.now() - started) / 1000;
  one.push(loaded.rps);
  deliveredRate.push(during / elapsed / loaded.rps);
  await drained(60_000);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`\ningest, no endpoint:       ${mean(none).toFixed(0)} notifications/s`);
console.log(
  `ingest, one endpoint:      ${mean(one).toFixed(0)} notifications/s  ×${(mean(one) / mean(none)).toFixed(2)} (target ≥ 0.90)`,
);
console.log(
  `delivered during the round vs ingested: ×${mean(deliveredRate).toFixed(2)} (target ≥ 1.0; rounds ${deliveredRate.map((r) => r.toFixed(2)).join(", ")})`,
);

// 2b: at a steady rate below the ceiling (open loop), the sender keeps up: delivered vs ingested in the window.
{
  streamStart += 10_000_000;
  const steady = notificationStream(streamStart);
  const before = received;
  const started = performance.now();
  const load = await openLoop({
    url: `${server.origin}/api/webhooks/skinsback`,
    rate: 200,
    seconds: 20,
    headers,
    nextBody: () => steady.next().body,
  });
  const elapsed = (performance.now() - started) / 1000;
  const left = await waiting();
  console.log(
    `at a steady 200 notifications/s for 20 s: ${load.ok} ingested, ${received - before} delivered in the same window = ×${((received - before) / load.ok).toFixed(2)}, ${(load.ok / elapsed).toFixed(0)}/s in; ${left} left waiting at its end`,
  );
  await drained(60_000);
}

// 3: end to end at 50/s, open loop.
streamStart += 10_000_000;
const stream = notificationStream(streamStart);
const sentAt = new Map<string, number>();
await openLoop({
  url: `${server.origin}/api/webhooks/skinsback`,
  rate: 50,
  seconds: 30,
  headers,
  nextBody: () => {
    const next = stream.next();
    sentAt.set(`${next.transactionId}:${next.status}`, performance.now());
    return next.body;
  },
});
await drained(30_000);
const endToEnd = [...sentAt].flatMap(([key, at]) => {
  const arrived = arrivals.get(key);
  return arrived === undefined ? [] : [arrived - at];
});
console.log(
  `\nwebhook in → merchant receives at 50/s: ${endToEnd.length} of ${sentAt.size} measured, p50 ${percentile(endToEnd, 50).toFixed(1)} ms (target ≤ 50), p99 ${percentile(endToEnd, 99).toFixed(1)} ms (target ≤ 250), max ${Math.max(...endToEnd).toFixed(0)} ms`,
);

// 4: an outage's backlog. The endpoint is paused while BACKLOG notifications arrive, then enabled.
await setEndpoint("paused");
streamStart += 10_000_000;
const backlogStream = notificationStream(streamStart);
const backlog = await autocannon({
  url: `${server.origin}/api/webhooks/skinsback`,
  connections: 10,
  amount: BACKLOG,
  requests: [{ method: "POST", headers, setupRequest: (r) => ({ ...r, body: backlogStream.next().body }) }],
});
const queued = await waiting();
const beforeDrain = received;
await setEndpoint("enabled");
const drainMs = await drained(300_000);
console.log(
  `\nbacklog: ${queued} messages waiting after ${backlog.requests.total} notifications (${backlog.non2xx} non-2xx); drained in ${(drainMs / 1000).toFixed(1)} s = ${(((received - beforeDrain) / drainMs) * 1000).toFixed(0)} messages/s (target ≥ 200); left waiting: ${await waiting()}`,
);
console.log(`server resident memory after the run: ${server.rssMiB()} MiB`);

await sql.end();
await server.stop();
await database.drop();
receiver.close();
process.exit(0);
