/**
 * The dashboard on a year of traffic: database time (EXPLAIN ANALYZE) and server response of the deposit list's
 * queries and the overview at 1,000,000 deposits in PostgreSQL, against the production build, and each page's
 * first-load JavaScript (gzip) as the browser gets it.
 *   npm run bench -- dashboard
 * Seeds a database `bench_dashboard` (npm run db:seed:large's generator; ~2 minutes the first time) and keeps it
 * for the next run; BENCH_DEPOSITS=… for another size, BENCH_DASHBOARD_URL=… to use a database you seeded.
 * Baselines measured in the same run: `select 1` for the database, GET /api/health for the server.
 */
import { cpus } from "node:os";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import { openPostgres } from "@/lib/db/client";
import { seedLarge } from "@/lib/db/large-seed";
import { depositListParamsSchema, depositListQuery } from "@/lib/deposits/queries";
import { signInCookie, startProductionServer, TEST_ADMIN_ENV } from "@/lib/testing/production-server";
import { benchDatabase } from "./bench-database";
import { percentile } from "./stats";

const DEPOSITS = Number(process.env.BENCH_DEPOSITS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

async function prepareDatabase(): Promise<string> {
  if (process.env.BENCH_DASHBOARD_URL) return process.env.BENCH_DASHBOARD_URL;
  const name = `bench_dashboard_${DEPOSITS}`;
  const url = await benchDatabase(name);
  const sql = postgres(url, { max: 1 });
  const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from deposits`;
  await sql.end();
  if (n < DEPOSITS) {
    console.log(
      `seeding ${DEPOSITS.toLocaleString("en-US")} deposits into ${name} (once; kept for later runs)…`,
    );
    const started = Date.now();
    await seedLarge(url, DEPOSITS - n, () => {});
    console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return url;
}

const url = await prepareDatabase();
const sql = postgres(url, { max: 2 });
const [{ n: total } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from deposits`;
const [{ cursor_at, cursor_id } = { cursor_at: "", cursor_id: "" }] = await sql<
  { cursor_at: string; cursor_id: string }[]
>`select created_at::text as cursor_at, transaction_id as cursor_id from deposits
   order by created_at desc, transaction_id desc offset 900000 limit 1`;
const deepCursor = Buffer.from(JSON.stringify(["newest", cursor_at, cursor_id])).toString("base64url");
const [{ steam_id: steamId } = { steam_id: "" }] = await sql<{ steam_id: string }[]>`
  select steam_id from deposits where steam_id is not null order by created_at desc limit 1 offset 5000`;
const today = new Date();
const monthAgo = new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
const todayText = today.toISOString().slice(0, 10);

/** The list's cases: URL query (also the API's) → what the database runs for it. */
const CASES: { name: string; query: Record<string, string> }[] = [
  { name: "first page", query: {} },
  { name: "page 900,000 rows deep", query: { cursor: deepCursor } },
  {
    name: "status + date filter (fail, last 30 days)",
    query: { status: "fail", from: monthAgo, to: todayText },
  },
  { name: "Steam id search", query: { q: steamId } },
  { name: "largest amount first", query: { sort: "amount_desc" } },
];

// The database: each query's own SQL from the code (EXPLAIN ANALYZE: planning + execution time).
const db = openPostgres(url, { maxConnections: 2 });
type Explained = { "Planning Time": number; "Execution Time": number; Plan: unknown };
async function explain(text: string, params: unknown[]): Promise<Explained> {
  const [row] = await sql.unsafe(
    `explain (analyze, format json) ${text}`,
    params as postgres.ParameterOrJSON<never>[],
  );
  return (row as unknown as { "QUERY PLAN": Explained[] })["QUERY PLAN"][0] as Explained;
}
async function explainText(text: string, params: unknown[]): Promise<string> {
  const rows = await sql.unsafe(
    `explain (analyze, costs off, timing off, summary off) ${text}`,
    params as postgres.ParameterOrJSON<never>[],
  );
  return rows.map((r) => `    ${(r as Record<string, string>)["QUERY PLAN"]}`).join("\n");
}
function databaseQueries(): { name: string; text: string; params: unknown[] }[] {
  const list = CASES.map((c) => {
    const q = depositListQuery(db.db, depositListParamsSchema.parse(c.query)).toSQL();
    return { name: c.name, text: q.sql, params: q.params };
  });
  return [
    { name: "baseline: select 1", text: "select 1", params: [] },
    ...list,
    {
      name: "totals, no filter (rollup)",
      text: "select currency, sum(deposits)::int, sum(amount)::text from deposit_daily_totals where deposits <> 0 group by currency",
      params: [],
    },
    {
      name: "overview, 90 days per day (rollup)",
      text: "select day, status, currency, deposits, amount from deposit_daily_totals where day between $1::date - 89 and $1::date and deposits <> 0 order by day",
      params: [todayText],
    },
  ];
}

const dbRows: string[] = [];
const plans: string[] = [];
for (const q of databaseQueries()) {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const e = await explain(q.text, q.params);
    times.push(e["Planning Time"] + e["Execution Time"]);
  }
  dbRows.push(
    `| ${q.name} | ${percentile(times, 50).toFixed(3)} ms | ${percentile(times, 90).toFixed(3)} ms |`,
  );
  if (!q.name.startsWith("baseline")) plans.push(`  ${q.name}:\n${await explainText(q.text, q.params)}`);
}

// The server: the production build against this database, signed in.
const server = await startProductionServer({ port: 3390, databaseUrl: url, env: TEST_ADMIN_ENV });
const cookie = await signInCookie(server.origin);
async function timeGet(path: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS + 5; i++) {
    const started = performance.now();
    const response = await fetch(`${server.origin}${path}`, { headers: { cookie } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    if (i >= 5) samples.push(performance.now() - started); // the first five warm the route up
  }
  return samples;
}
const health = await timeGet("/api/health");
const serverRows = [`| baseline: GET /api/health | ${percentile(health, 50).toFixed(1)} ms | ×1.00 |`];
const serverCases: [string, string][] = [
  ...CASES.map((c): [string, string] => [c.name, `/api/deposits?${new URLSearchParams(c.query)}`]),
  ["/deposits page (list + totals, HTML)", "/deposits"],
  ["overview, 90 days (JSON)", "/api/overview?days=90"],
  ["/ overview page (HTML)", "/?days=90"],
];
for (const [name, path] of serverCases) {
  const samples = await timeGet(path);
  serverRows.push(
    `| ${name} | ${percentile(samples, 50).toFixed(1)} ms | ×${(percentile(samples, 50) / percentile(health, 50)).toFixed(2)} |`,
  );
}

// First-load JavaScript: every script the page's HTML loads, gzipped, as the browser receives it.
const jsRows: string[] = [];
for (const path of ["/", "/deposits", "/webhooks", "/webhooks/failed", "/api-calls", "/audit"]) {
  const html = await (await fetch(`${server.origin}${path}`, { headers: { cookie } })).text();
  const scripts = [
    ...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)].map((m) => m[1] as string)),
  ];
  let gz = 0;
  let biggest = { src: "", gz: 0, what: "" };
  for (const src of scripts) {
    const body = Buffer.from(await (await fetch(`${server.origin}${src}`)).arrayBuffer());
    const size = gzipSync(body).length;
    gz += size;
    if (size > biggest.gz) {
      const text = body.toString("utf8");
      const what =
        text.includes("react-dom") || text.includes("__reactFiber")
          ? "react-dom"
          : text.includes("recharts")
            ? "recharts"
            : text.includes("next-router") || text.includes("__NEXT")
              ? "next runtime"
              : "app code";
      biggest = { src, gz: size, what };
    }
  }
  jsRows.push(
    `| ${path} | ${(gz / 1024).toFixed(1)} KB | ${scripts.length} | ${biggest.what}: ${(biggest.gz / 1024).toFixed(1)} KB |`,
  );
}
await server.stop();
await db.close();
await sql.end();

console.log(
  `\ndashboard at ${total.toLocaleString("en-US")} deposits — PostgreSQL, production build; ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; ${new Date().toISOString().slice(0, 16)}Z; ${ROUNDS} rounds, medians\n`,
);
console.log("| database (EXPLAIN ANALYZE: planning + execution) | median | p90 |\n| --- | --- | --- |");
console.log(dbRows.join("\n"));
console.log("\n| server response (GET, signed in, loopback) | median | vs baseline |\n| --- | --- | --- |");
console.log(serverRows.join("\n"));
console.log("\n| page | first-load JS (gzip) | scripts | largest |\n| --- | --- | --- | --- |");
console.log(jsRows.join("\n"));
console.log(`\nplans at ${total.toLocaleString("en-US")} deposits:\n${plans.join("\n")}`);
process.exit(0);
