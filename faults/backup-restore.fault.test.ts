import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { newSigningSecret } from "@/lib/forwarding/secrets";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { notificationRequest, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import {
  type ProductionServer,
  signInCookie,
  startProductionServer,
  TEST_ADMIN_ENV,
} from "@/lib/testing/production-server";

/**
 * The README's backup: `pg_dump --format=custom` of a running console's database, `pg_restore` into a fresh one,
 * and the console started on the copy has the same deposits, operators (the same password signs in) and
 * forwarding endpoints. The database is the only state: nothing else is copied.
 */
describe("backup and restore with pg_dump / pg_restore (production build, PostgreSQL)", () => {
  const servers: ProductionServer[] = [];
  const databases: Awaited<ReturnType<typeof createPostgresDatabase>>[] = [];
  const folder = mkdtempSync(path.join(os.tmpdir(), "console-backup-"));
  afterAll(async () => {
    for (const s of servers) await s.stop("SIGKILL");
    for (const d of databases) await d.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("a restored copy serves the same deposits, operators and endpoints", async () => {
    const original = await createPostgresDatabase();
    databases.push(original);
    const env = {
      ...TEST_ADMIN_ENV,
      CONSOLE_API_KEY: "backup-test-api-key-0123456789",
      CONSOLE_FORWARD_URL: "http://127.0.0.1:9/backend",
      CONSOLE_FORWARD_SECRET: newSigningSecret(),
      FORWARD_ALLOW_PRIVATE_NETWORKS: "1",
    };
    const first = await startProductionServer({ port: 3495, databaseUrl: original.url, env });
    servers.push(first);
    const transactionId = String(6_100_000_000 + Math.floor(Math.random() * 1_000_000));
    const notification = notificationRequest(
      {
        transaction_id: transactionId,
        order_id: `backup-${transactionId}`,
        status: "success",
        amount: "12.34",
        amount_currency: "usd",
      },
      { secret: TEST_CREDENTIALS.clientSecret },
    );
    const sent = await fetch(`${first.origin}/api/webhooks/skinsback`, {
      method: "POST",
      headers: notification.headers,
      body: await notification.text(),
    });
    expect(sent.status).toBe(200);
    const key = { authorization: `Bearer ${env.CONSOLE_API_KEY}` };
    const before = await (
      await fetch(`${first.origin}/api/v1/deposits/${transactionId}`, { headers: key })
    ).json();
    const cookie = await signInOnceReady(first.origin);
    const endpointsBefore = await (
      await fetch(`${first.origin}/api/forwarding`, { headers: { cookie } })
    ).json();

    // The backup, taken while the console runs.
    const dump = path.join(folder, "console.dump");
    const dumped = spawnSync("pg_dump", ["--format=custom", `--file=${dump}`, original.url], {
      encoding: "utf8",
    });
    expect(dumped.status, dumped.stderr).toBe(0);
    const copy = await createPostgresDatabase();
    databases.push(copy);
    const restored = spawnSync("pg_restore", ["--no-owner", `--dbname=${copy.url}`, dump], {
      encoding: "utf8",
    });
    expect(restored.status, restored.stderr).toBe(0);
    await first.stop("SIGKILL");

    const second = await startProductionServer({ port: 3496, databaseUrl: copy.url, env });
    servers.push(second);
    const after = await (
      await fetch(`${second.origin}/api/v1/deposits/${transactionId}`, { headers: key })
    ).json();
    expect(after).toEqual(before);
    expect(after.data).toMatchObject({ status: "success", amount: "12.34" });
    // The same operator and password sign in; the endpoints are the same, signing secret and all.
    const restoredCookie = await signInOnceReady(second.origin);
    const endpointsAfter = await (
      await fetch(`${second.origin}/api/forwarding`, { headers: { cookie: restoredCookie } })
    ).json();
    expect(
      endpointsAfter.endpoints.map(
        (e: { endpoint: { id: string; name: string; url: string } }) => e.endpoint,
      ),
    ).toEqual(
      endpointsBefore.endpoints.map(
        (e: { endpoint: { id: string; name: string; url: string } }) => e.endpoint,
      ),
    );
  });
});

/**
 * The start-up admin is created in the background once the database answers, a moment after /api/health says
 * 200: sign-in is retried for a few seconds (bounded) before it counts as refused.
 */
async function signInOnceReady(origin: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await signInCookie(origin);
    } catch (error) {
      if (attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
