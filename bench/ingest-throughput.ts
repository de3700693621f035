/**
 * Webhook ingest on the production build against PostgreSQL, over loopback with autocannon, each figure next to
 * its ceiling measured in the same run: a route in the same build that reads the body and answers 200.
 *   npm run bench -- throughput       (BENCH_SECONDS=15 per round, BENCH_LATENCY_SECONDS=60, BENCH_RATE=200)
 */
import os from "node:os";
import autocannon from "autocannon";
import { encodeNotification, signNotification } from "@/lib/skinsback/notification-builder";
import { xSign } from "@/lib/skinsback/signature";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationStream } from "@/lib/testing/notification-stream";
import { TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { type OpenLoopResult, openLoop } from "@/lib/testing/open-loop";
import { startProductionServer } from "@/lib/testing/production-server";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 60);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const CONNECTIONS = 10;

const database = await createPostgresDatabase();
const server = await startProductionServer({ port: 3471, databaseUrl: database.url });
const headers = {
  "content-type": "application/json",
  "x-sign": xSign(TEST_CREDENTIALS.clientId, TEST_CREDENTIALS.clientSecret),
};
let streamStart = 1_000_000_000;

type Load = { rps: number; p50: number; p99: number; errors: number; non2xx: number; total: number };

async function load(
  path: string,
  options: { seconds: number; rate?: number; connections?: number },
): Promise<Load> {
  streamStart += 10_000_000;
  const stream = notificationStream(streamStart);
  const result = await autocannon({
    url: `${server.origin}${path}`,
    connections: options.connections ?? CONNECTIONS,
    duration: options.seconds,
    ...(options.rate && { overallRate: options.rate }),
    requests: [
      {
        method: "POST",
        headers,
        setupRequest: (request) => ({ ...request, body: stream.next().body }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

const row = (name: string, l: Load, ceiling?: Load) =>
  console.log(
    `${name.padEnd(44)} ${l.rps.toFixed(0).padStart(6)} req/s  p50 ${String(l.p50).padStart(4)} ms  p99 ${String(l.p99).padStart(4)} ms  errors ${l.errors}  non-2xx ${l.non2xx}${
      ceiling ? `  ×${(l.rps / ceiling.rps).toFixed(2)} of the ceiling` : ""
    }`,
  );

console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${new Date().toISOString()}`,
);
console.log(
  `production build (next start), PostgreSQL on 127.0.0.1, ${CONNECTIONS} connections, ${SECONDS} s rounds`,
);
await load("/api/bench/baseline", { seconds: 3 }); // warm both routes
await load("/api/webhooks/skinsback", { seconds: 3 });

const ceiling: Load[] = [];
const ingest: Load[] = [];
for (let round = 0; round < 2; round++) {
  ceiling.push(await load("/api/bench/baseline", { seconds: SECONDS }));
  ingest.push(await load("/api/webhooks/skinsback", { seconds: SECONDS }));
}
const mean = (loads: Load[]): Load => ({
  rps: loads.reduce((a, l) => a + l.rps, 0) / loads.length,
  p50: Math.max(...loads.map((l) => l.p50)),
  p99: Math.max(...loads.map((l) => l.p99)),
  errors: loads.reduce((a, l) => a + l.errors, 0),
  non2xx: loads.reduce((a, l) => a + l.non2xx, 0),
  total: loads.reduce((a, l) => a + l.total, 0),
});
console.log("\nthroughput (mean of 2 interleaved rounds)");
row("ceiling: same build, read body, answer 200", mean(ceiling));
row("ingest: half new deposits, half settlements", mean(ingest), mean(ceiling));

console.log(`\nlatency at a fixed ${RATE} requests/s (open loop, measured from each request's due time)`);
const fixedRow = (name: string, r: OpenLoopResult) =>
  console.log(
    `${name.padEnd(44)} ${String(r.sent).padStart(6)} sent  p50 ${r.p50.toFixed(1).padStart(5)} ms  p99 ${r.p99.toFixed(1).padStart(5)} ms  max ${r.max.toFixed(0).padStart(4)} ms  answers ${JSON.stringify(r.statuses)}`,
  );
streamStart += 10_000_000;
const sequentialStream = notificationStream(streamStart);
fixedRow(
  "ceiling",
  await openLoop({
    url: `${server.origin}/api/bench/baseline`,
    rate: RATE,
    seconds: Math.min(LATENCY_SECONDS, 20),
    headers,
    nextBody: () => sequentialStream.next().body,
  }),
);
fixedRow(
  "ingest",
  await openLoop({
    url: `${server.origin}/api/webhooks/skinsback`,
    rate: RATE,
    seconds: LATENCY_SECONDS,
    headers,
    nextBody: () => sequentialStream.next().body,
  }),
);

// 50 copies of one notification at the same moment: all answered quickly, one state change.
const one = encodeNotification(
  signNotification(
    {
      status: "success",
      transaction_id: "777000777",
      order_id: "copies-1",
      amount: "1.00",
      amount_currency: "usd",
      date: Math.floor(Date.now() / 1000),
    },
    TEST_CREDENTIALS.clientSecret,
  ),
  "json",
).body;
const copies = await Promise.all(
  Array.from({ length: 50 }, async () => {
    const started = performance.now();
    const response = await fetch(`${server.origin}/api/webhooks/skinsback`, {
      method: "POST",
      headers,
      body: one,
    });
    await response.text();
    return {
      ms: performance.now() - started,
      status: response.status,
      outcome: response.headers.get("x-outcome"),
    };
  }),
);
const outcomes = copies.reduce<Record<string, number>>((acc, c) => {
  const key = `${c.status} ${c.outcome}`;
  acc[key] = (acc[key] ?? 0) + 1;
  return acc;
}, {});
console.log(
  `\n50 concurrent copies of one notification: slowest ${Math.max(...copies.map((c) => c.ms)).toFixed(0)} ms, answers ${JSON.stringify(outcomes)}`,
);
console.log(`server resident memory after the run: ${server.rssMiB()} MiB`);

await server.stop();
await database.drop();
process.exit(0);
