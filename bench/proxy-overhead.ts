/**
 * What the console adds to a SkinsBack call: the signed proxy (validation, shared rate budget in the
 * database, call log) against a bare signed call to the same sandbox over loopback HTTP, measured in one run.
 *   npm run bench -- proxy          (PGlite; DATABASE_URL=… for PostgreSQL)
 */
import { callProxy, proxyParamsSchema } from "@/lib/gateway/proxy";
import { skinsbackGateway } from "@/lib/gateway/skinsback-gateway";
import { readJsonInput } from "@/lib/route/request-input";
import { createSkinsbackClient } from "@/lib/skinsback/client";
import { openTestDatabase } from "@/lib/testing/databases";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { report, timeEach } from "./stats";

const N = Number(process.env.BENCH_N ?? 300);
const kind = process.env.BENCH_DB === "postgres" ? "postgres" : "pglite";

const [consoleDb, sandboxDb] = await Promise.all([openTestDatabase(kind), openTestDatabase("pglite")]);
const harness = await startSandboxHarness({
  sandboxDb: sandboxDb.handle.db,
  consoleDb: consoleDb.handle.db,
  rateLimit: 1_000_000,
});
const gatewayConfig = { apiUrl: harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS, callsPerMinute: 1_000_000 };
const bare = createSkinsbackClient({ apiUrl: harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS });
const gateway = skinsbackGateway(consoleDb.handle.db, gatewayConfig, "bench");
const viaProxy = async () => {
  const request = new Request("http://127.0.0.1/api/skinsback/status", { method: "POST", body: "{}" });
  const params = await readJsonInput(request, proxyParamsSchema);
  const deps = { db: consoleDb.handle.db, gateway: gatewayConfig, ownResultUrls: [] };
  const answer = await callProxy(deps, "status", params, {
    actor: { kind: "api-key" },
    address: "127.0.0.1",
  });
  if (answer.status !== 200) throw new Error(`proxy answered ${answer.status}: ${await answer.text()}`);
};

// Warm up every path (JIT, connections), then interleave rounds so machine noise hits all three alike.
await timeEach(30, () => bare.status({}));
await timeEach(30, () => gateway.status({}));
await timeEach(30, viaProxy);
const samples = { bare: [] as number[], gateway: [] as number[], proxy: [] as number[] };
for (let round = 0; round < 5; round++) {
  samples.bare.push(...(await timeEach(N / 5, () => bare.status({}))));
  samples.gateway.push(...(await timeEach(N / 5, () => gateway.status({}))));
  samples.proxy.push(...(await timeEach(N / 5, viaProxy)));
}
console.log(`proxy overhead, console database: ${kind}, sandbox over loopback HTTP`);
report("baseline: bare signed call (client only)", samples.bare);
report("gateway: + rate budget slot + call log", samples.gateway, samples.bare);
report("proxy: + params, JSON answer", samples.proxy, samples.bare);
const overhead = (s: number[]) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)] as number;
console.log(
  `proxy overhead per call (median): ${(overhead(samples.proxy) - overhead(samples.bare)).toFixed(2)} ms`,
);

await harness.close();
await Promise.all([consoleDb.drop(), sandboxDb.drop()]);
process.exit(0);
