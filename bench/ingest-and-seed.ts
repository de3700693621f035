/**
 * Webhook ingest latency against an HTTP baseline (a handler that answers OK without the database), and the
 * sandbox seed: ~90 days of history created and delivered through the real webhook path over loopback HTTP.
 *   npm run bench -- ingest         (BENCH_DB=postgres for the PostgreSQL server)
 */
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { deliverDue } from "@/lib/sandbox/outbox";
import { seedHistory } from "@/lib/sandbox/seed";
import { encodeNotification, signNotification } from "@/lib/skinsback/notification-builder";
import { openTestDatabase } from "@/lib/testing/databases";
import { serve } from "@/lib/testing/http-server";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { report, timeEach } from "./stats";

const N = Number(process.env.BENCH_N ?? 400);
const SEED = Number(process.env.BENCH_SEED ?? 2400);
const kind = process.env.BENCH_DB === "postgres" ? "postgres" : "pglite";

const consoleDb = await openTestDatabase(kind);
const receiver = await serve((request) =>
  receiveSkinsbackWebhook(
    { getDb: async () => consoleDb.handle.db, credentials: SANDBOX_TEST_CREDENTIALS },
    request,
  ),
);
const baseline = await serve(async (request) => {
  await request.text();
  return new Response("OK");
});
const body = (i: number) =>
  encodeNotification(
    signNotification(
      {
        status: "success",
        transaction_id: String(900_000_000 + i),
        order_id: `bench-${i}`,
        steam_id: "76561198000000001",
        date: 1_763_700_000,
        amount: "12.50",
        amount_currency: "usd",
        user_amount: "25.00",
      },
      SANDBOX_TEST_CREDENTIALS.clientSecret,
    ),
    "json",
  );
const post = (origin: string, i: number) => {
  const { body: text, contentType } = body(i);
  return fetch(origin, { method: "POST", headers: { "content-type": contentType }, body: text }).then((r) =>
    r.text(),
  );
};

await timeEach(30, (i) => post(baseline.origin, i));
await timeEach(30, (i) => post(receiver.origin, 1_000_000 + i));
const base: number[] = [];
const ingest: number[] = [];
const duplicate: number[] = [];
for (let round = 0; round < 4; round++) {
  base.push(...(await timeEach(N / 4, (i) => post(baseline.origin, i))));
  ingest.push(...(await timeEach(N / 4, (i) => post(receiver.origin, round * N + i))));
  duplicate.push(...(await timeEach(N / 4, (i) => post(receiver.origin, round * N + i))));
}
console.log(`webhook ingest, console database: ${kind}, loopback HTTP`);
report("baseline: HTTP POST answered OK, no work", base);
report("ingest: new deposit (verify, one statement)", ingest, base);
report("ingest: duplicate (verify, one statement)", duplicate, base);
await Promise.all([receiver.close(), baseline.close()]);

// Seed: history generated on SkinsBack's side, every notification delivered through the webhook over HTTP.
const sandboxDb = await openTestDatabase("pglite");
const seedConsole = await openTestDatabase(kind);
const harness = await startSandboxHarness({
  sandboxDb: sandboxDb.handle.db,
  consoleDb: seedConsole.handle.db,
});
const started = performance.now();
const seeded = await seedHistory(harness.ctx, new Date(), { deposits: SEED });
const generatedMs = performance.now() - started;
let delivered = 0;
for (;;) {
  const batch = await deliverDue(harness.ctx, new Date(), 200, 8);
  delivered += batch.sent;
  if (batch.sent === 0) break;
}
const totalMs = performance.now() - started;
console.log(
  `seed: ${seeded?.deposits} deposits, ${delivered} notifications; generated in ${generatedMs.toFixed(0)} ms, delivered through the webhook in ${(totalMs / 1000).toFixed(1)} s (${((delivered / totalMs) * 1000).toFixed(0)} notifications/s)`,
);
await harness.close();
await Promise.all([consoleDb.drop(), sandboxDb.drop(), seedConsole.drop()]);
process.exit(0);
