import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openPostgres } from "@/lib/db/client";
import { scheduledJobs, skinsbackFailures } from "@/lib/db/schema";
import { sandboxCallbackErrors } from "@/lib/sandbox/schema";
import { createPostgresDatabase, openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { type ProductionServer, startProductionServer } from "@/lib/testing/production-server";
import { startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { TcpProxy } from "@/lib/testing/tcp-proxy";

/**
 * An instance started while PostgreSQL is away must not give up on its background work: once the database is
 * back, the failed-list sync runs without a restart. The app reaches PostgreSQL through a loopback proxy that is
 * closed at start (connections refused) and opened later on the same port; SkinsBack is the sandbox, a real
 * HTTP peer, listing one failed notification.
 */
describe("PostgreSQL down when the app starts (production build)", () => {
  const proxy = new TcpProxy("127.0.0.1", 5432);
  let server: ProductionServer | undefined;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let sandboxDb: TestDatabase | undefined;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>> | undefined;
  afterAll(async () => {
    await server?.stop();
    await proxy.stop();
    await harness?.close();
    await sandboxDb?.drop();
    await database?.drop();
  });

  it("starts its loops anyway, and the sync runs once the database is back", async () => {
    database = await createPostgresDatabase();
    const direct = openPostgres(database.url, { maxConnections: 2 });
    await migrateDatabase({ kind: "postgres", url: database.url }, direct);
    sandboxDb = await openTestDatabase("pglite");
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: direct.db });
    await sandboxDb.handle.db
      .insert(sandboxCallbackErrors)
      .values({ transactionId: 930_000_001, orderId: "down-at-start", httpCode: "500" });

    // Take a port for the proxy, then close it: the database is unreachable when the app starts.
    await proxy.start();
    await proxy.stop();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    server = await startProductionServer({
      port: 3483,
      databaseUrl: viaProxy.toString(),
      env: { SKINSBACK_API_URL: harness.apiUrl },
      until: "answering",
    });
    expect((await fetch(`${server.origin}/api/health`)).status).toBe(503);

    await proxy.start();
    // Bounded: the job loop asks every few seconds; 60 checks half a second apart.
    let synced: typeof skinsbackFailures.$inferSelect | undefined;
    for (let i = 0; i < 60 && !synced; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      [synced] = await direct.db
        .select()
        .from(skinsbackFailures)
        .where(eq(skinsbackFailures.transactionId, "930000001"));
    }
    expect(synced).toMatchObject({ orderId: "down-at-start", httpCode: "500", resolvedAt: null });
    const [job] = await direct.db.select().from(scheduledJobs);
    expect(job).toMatchObject({ lastError: null });
    expect((await fetch(`${server.origin}/api/health`)).status).toBe(200);
    await direct.close();
  });
});
