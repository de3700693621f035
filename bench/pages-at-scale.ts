/**
 * Every page and JSON route on two databases side by side: a small one (2,000 deposits) and a year of traffic
 * (1,000,000 deposits, ~2 million events and deliveries), each with refused requests at 2 % of its deposits,
 * older than a month — the history that must not slow a page. Two production servers run at once and are asked
 * in turn (small, large, small, …), so the machine's noise falls on both alike.
 *   npm run bench -- pages
 * Seeds the databases `bench_pages_<n>` once (~2 minutes for the large one) and keeps them for the next run;
 * BENCH_SMALL / BENCH_LARGE for other sizes. Targets: each route within ×1.5 of the small database, and under
 * 20× GET /api/health. Prints each query plan the large database runs for the routes the issue named.
 */
import { cpus } from "node:os";
import postgres from "postgres";

import { seedLarge } from "@/lib/db/large-seed";
import { signInCookie, startProductionServer, TEST_ADMIN_ENV } from "@/lib/testing/production-server";
import { benchDatabase } from "./bench-database";
import { percentile, timedGet } from "./stats";

const SMALL = Number(process.env.BENCH_SMALL ?? 2_000);
const LARGE = Number(process.env.BENCH_LARGE ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
/** Refused requests, as a share of the deposits, dated 31 to 365 days ago. */
const REFUSED_SHARE = 0.02;

async function prepare(deposits: number): Promise<string> {
  const name = `bench_pages_${deposits}`;
  const url = await benchDatabase(name);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from deposits`;
    if (n < deposits) {
      console.log(`seeding ${deposits.toLocaleString("en-US")} deposits into ${name} (kept for later runs)…`);
      await seedLarge(url, deposits - n, () => {});
    }
    const refused = Math.round(deposits * REFUSED_SHARE);
    const [{ have } = { have: 0 }] = await sql<{ have: number }[]>`
      select count(*)::int as have from webhook_deliveries where outcome = 'bad_signature'`;
    if (have < refused) {
      // Forged or mis-signed notifications naming real deposits, with bodies, as the receiver keeps them.
      await sql`
        insert into webhook_deliveries (received_at, headers, content_type, raw_body, body_bytes, sign_check,
                                        x_sign_check, outcome, http_status, error, transaction_id,
                                        notification_status, duration_ms)
        select now() - interval '31 days' - random() * interval '334 days', '{}'::jsonb, 'application/json',
               convert_to(repeat('{"status":"success","amount":"12.50","sign":"00"}', 8), 'UTF8'), 400,
               'invalid', 'absent', 'bad_signature', 401, 'sign does not match', d.transaction_id,
               case when random() < 0.5 then 'success'::deposit_status end, 3
          from (select transaction_id from deposits order by random() limit ${refused - have}) d`;
      await sql`analyze webhook_deliveries`;
      await sql`analyze console_failures`;
    }
  } finally {
    await sql.end();
  }
  return url;
}

const small = await prepare(SMALL);
const large = await prepare(LARGE);

/** A deposit with a full path and a delivery, the same way on both databases: the newest settled one. */
async function samples(url: string) {
  const sql = postgres(url, { max: 1 });
  const [deposit] = await sql<{ transaction_id: string }[]>`
    select transaction_id from deposits where status = 'success' order by created_at desc limit 1`;
  const [delivery] = await sql<{ id: string }[]>`
    select id::text from webhook_deliveries order by id desc limit 1`;
  const [counts] = await sql<{ deposits: number; events: number; deliveries: number; refused: number }[]>`
    select (select count(*)::int from deposits) as deposits, (select count(*)::int from deposit_events) as events,
           (select count(*)::int from webhook_deliveries) as deliveries,
           (select count(*)::int from console_failures) as refused`;
  await sql.end();
  if (!counts) throw new Error("no counts");
  return { transactionId: deposit?.transaction_id ?? "", deliveryId: delivery?.id ?? "", counts };
}
const smallSamples = await samples(small);
const largeSamples = await samples(large);

const servers = await Promise.all([
  startProductionServer({ port: 3391, databaseUrl: small, env: TEST_ADMIN_ENV }),
  startProductionServer({ port: 3392, databaseUrl: large, env: TEST_ADMIN_ENV }),
]);
const cookies = await Promise.all(servers.map((s) => signInCookie(s.origin)));

type Sample = typeof smallSamples;
/** Each route as a path for one database's samples. */
const ROUTES: [string, (s: Sample) => string][] = [
  ["GET /api/health (baseline)", () => "/api/health"],
  ["/ overview (HTML)", () => "/"],
  ["/api/overview?days=90", () => "/api/overview?days=90"],
  ["/api/overview/silence", () => "/api/overview/silence"],
  ["/deposits (HTML)", () => "/deposits"],
  ["/api/deposits", () => "/api/deposits"],
  ["/deposits/<id> (HTML)", (s) => `/deposits/${encodeURIComponent(s.transactionId)}`],
  ["/api/v1/deposits/<id>", (s) => `/api/v1/deposits/${encodeURIComponent(s.transactionId)}`],
  ["/webhooks (HTML)", () => "/webhooks"],
  ["/webhooks/<id> (HTML)", (s) => `/webhooks/${s.deliveryId}`],
  ["/webhooks/failed (HTML)", () => "/webhooks/failed"],
  ["/api/webhooks/failed", () => "/api/webhooks/failed"],
  ["/api/webhooks/failed?state=all", () => "/api/webhooks/failed?state=all"],
  // The same number of rows on both (the small database has 40 refused requests): what history alone costs.
  ["/api/webhooks/failed?limit=40", () => "/api/webhooks/failed?limit=40"],
  ["/holds (HTML, table)", () => "/holds"],
  ["/holds?view=cards (HTML)", () => "/holds?view=cards"],
  ["/api/holds", () => "/api/holds"],
  ["/holds/exposure (HTML)", () => "/holds/exposure"],
  ["/api/holds/exposure", () => "/api/holds/exposure"],
  ["/api-calls (HTML)", () => "/api-calls"],
  ["/audit (HTML)", () => "/audit"],
  ["/api/audit", () => "/api/audit"],
  ["/forwarding (HTML)", () => "/forwarding"],
  ["/api/forwarding", () => "/api/forwarding"],
  ["/api/v1/events", () => "/api/v1/events"],
  ["/settings/operators (HTML)", () => "/settings/operators"],
  ["/settings/risk (HTML)", () => "/settings/risk"],
];

const timeOnce = (i: 0 | 1, path: string) =>
  timedGet((servers[i] as (typeof servers)[number]).origin, cookies[i] as string, path);

const rows: { name: string; small: number; large: number }[] = [];
for (const [name, pathOf] of ROUTES) {
  const paths = [pathOf(smallSamples), pathOf(largeSamples)] as const;
  for (let w = 0; w < 3; w++) for (const i of [0, 1] as const) await timeOnce(i, paths[i]); // warm up
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    for (const i of (r % 2 === 0 ? [0, 1] : [1, 0]) as (0 | 1)[]) times[i].push(await timeOnce(i, paths[i]));
  }
  rows.push({ name, small: percentile(times[0], 50), large: percentile(times[1], 50) });
}
await Promise.all(servers.map((s) => s.stop()));

const health = rows[0] as (typeof rows)[number];
const c = (s: Sample) =>
  `${s.counts.deposits.toLocaleString("en-US")} deposits, ${s.counts.events.toLocaleString("en-US")} events, ${s.counts.refused.toLocaleString("en-US")} refused`;
console.log(
  `\npages at scale — production build, PostgreSQL; ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; ${new Date().toISOString().slice(0, 16)}Z; ${ROUNDS} rounds each, medians`,
);
console.log(`small: ${c(smallSamples)}\nlarge: ${c(largeSamples)}\n`);
console.log("| route | small | large | large ÷ small | large ÷ health |\n| --- | --- | --- | --- | --- |");
for (const r of rows) {
  const ratio = r.large / r.small;
  const vsHealth = r.large / health.large;
  const flag = ratio > 1.5 || vsHealth > 20 ? " ⚠" : "";
  console.log(
    `| ${r.name} | ${r.small.toFixed(1)} ms | ${r.large.toFixed(1)} ms | ×${ratio.toFixed(2)}${flag} | ×${vsHealth.toFixed(1)} |`,
  );
}
process.exit(0);
