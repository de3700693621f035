/**
 * The forwarding pages while a receiver is down: two production servers side by side, one whose endpoint has
 * nothing waiting and one whose endpoint has a backlog of BACKLOG messages (100,000), asked in turn so the
 * machine's noise falls on both alike. Target: each page within ×1.5 of the empty one.
 *   npm run bench -- backlog
 */
import postgres from "postgres";
import { signInCookie, startProductionServer, TEST_ADMIN_ENV } from "@/lib/testing/production-server";
import { benchDatabase } from "./bench-database";
import { percentile, timedGet } from "./stats";

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const ENDPOINT = "ep_backlog_bench";

/** A database with one endpoint (a receiver that is down) and `waiting` messages for it. */
async function prepare(name: string, waiting: number): Promise<string> {
  const url = await benchDatabase(name);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const server = await startProductionServer({ port: 3396, databaseUrl: url, env: TEST_ADMIN_ENV });
    await server.stop(); // migrated
    await sql`insert into forward_endpoints (id, name, url, format, secret, state, concurrency, allow_private_network)
      values (${ENDPOINT}, 'backend (down)', 'http://127.0.0.1:9/down', 'standard',
              'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'enabled', 8, true)
      on conflict (id) do nothing`;
    // Both endpoints have a full first page of delivered messages, so the pages render the same rows and only
    // the backlog differs.
    const [{ sent } = { sent: 0 }] = await sql<{ sent: number }[]>`
      select count(*)::int as sent from forward_messages where endpoint_id = ${ENDPOINT} and state = 'delivered'`;
    if (sent < 200) {
      await sql`insert into forward_messages (endpoint_id, type, transaction_id, sequence, state, attempts,
                                              next_attempt_at, created_at, delivered_at)
        select ${ENDPOINT}, 'deposit.success', 'sent-' || g, 1, 'delivered', 1, now(), now() - interval '2 days',
               now() - interval '2 days'
          from generate_series(${sent + 1}::int, 200) g`;
    }
    const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`
      select count(*)::int as n from forward_messages where endpoint_id = ${ENDPOINT} and state = 'waiting'`;
    if (n < waiting) {
      // Waiting for their next try in an hour, as after a few failed attempts.
      await sql`insert into forward_messages (endpoint_id, type, transaction_id, sequence, state, attempts,
                                              next_attempt_at, created_at)
        select ${ENDPOINT}, 'deposit.success', 'backlog-' || g, 1, 'waiting', 3, now() + interval '1 hour',
               now() - g * interval '1 second'
          from generate_series(${n + 1}::int, ${waiting}::int) g`;
      await sql`analyze forward_messages`;
    }
  } finally {
    await sql.end();
  }
  return url;
}

const empty = await prepare("bench_backlog_empty", 0);
const busy = await prepare("bench_backlog_busy", BACKLOG);
const servers = await Promise.all([
  startProductionServer({ port: 3397, databaseUrl: empty, env: TEST_ADMIN_ENV }),
  startProductionServer({ port: 3398, databaseUrl: busy, env: TEST_ADMIN_ENV }),
]);
const cookies = await Promise.all(servers.map((s) => signInCookie(s.origin)));

const timeOnce = (i: 0 | 1, path: string) =>
  timedGet((servers[i] as (typeof servers)[number]).origin, cookies[i] as string, path);

const ROUTES = ["/api/health", `/forwarding/${ENDPOINT}`, "/forwarding", "/api/forwarding"];
console.log(
  `forwarding pages, an endpoint with nothing waiting vs ${BACKLOG.toLocaleString("en-US")} waiting`,
);
let worst = 0;
for (const path of ROUTES) {
  for (let w = 0; w < 3; w++) for (const i of [0, 1] as const) await timeOnce(i, path);
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    for (const i of (r % 2 === 0 ? [0, 1] : [1, 0]) as (0 | 1)[]) times[i].push(await timeOnce(i, path));
  }
  const [a, b] = [percentile(times[0], 50), percentile(times[1], 50)];
  if (path !== "/api/health") worst = Math.max(worst, b / a);
  console.log(
    `${path.padEnd(36)} empty ${a.toFixed(1).padStart(7)} ms   backlog ${b.toFixed(1).padStart(7)} ms   ×${(b / a).toFixed(2)}`,
  );
}
await Promise.all(servers.map((s) => s.stop()));
console.log(`largest ratio ×${worst.toFixed(2)} (target ≤ ×1.50)`);
