import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, migrateDatabase, openPostgres } from "@/lib/db/client";
import { createPostgresDatabase } from "@/lib/testing/databases";
import { storedDeliveries, storedDeposit, storedEvents } from "@/lib/testing/inspect";
import { notificationRequest, sampleNotification, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { TcpProxy } from "@/lib/testing/tcp-proxy";
import { receiveSkinsbackWebhook } from "./webhook-receiver";

// PGlite is in-process and cannot become unreachable: this is about the PostgreSQL server.
describe("database unreachable (PostgreSQL behind a proxy that a test cuts)", () => {
  const proxy = new TcpProxy("127.0.0.1", 5432);
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let direct: DatabaseHandle;
  let viaProxy: DatabaseHandle;
  const background: Promise<unknown>[] = [];
  const receive = (request: Request) =>
    receiveSkinsbackWebhook(
      {
        getDb: async () => viaProxy.db,
        credentials: TEST_CREDENTIALS,
        afterAnswer: (work) => background.push(work),
      },
      request,
    );
  /** What the receiver still does after answering: a 503's own row, a late commit's correction. */
  const settled = async () => {
    while (background.length > 0) await Promise.allSettled(background.splice(0));
  };
  /**
   * The pool behind the cut proxy gives up on a connection only after this long, so an answer that came sooner
   * came from the receiver's own deadline (1.2 s, then 0.3 s of grace), not from the driver failing.
   */
  const DRIVER_GIVES_UP_SECONDS = 30;

  beforeAll(async () => {
    created = await createPostgresDatabase();
    direct = openPostgres(created.url, { maxConnections: 2 });
    await migrateDatabase({ kind: "postgres", url: created.url }, direct);
    await proxy.start();
    const url = new URL(created.url);
    url.port = String(proxy.port);
    viaProxy = openPostgres(url.toString(), {
      maxConnections: 4,
      connectTimeoutSeconds: DRIVER_GIVES_UP_SECONDS,
    });
  });
  afterAll(async () => {
    await proxy.stop();
    await viaProxy?.close().catch(() => {});
    await direct?.close();
    await created?.drop();
  });

  for (const mode of ["down", "hung"] as const) {
    it(`${mode}: answers 503 by its own deadline, writes nothing, and applies the same notification once when back`, async () => {
      const n = sampleNotification({ status: "success" });
      // Warm the pool so the outage also breaks established connections, not only new ones.
      expect((await receive(notificationRequest(sampleNotification()))).status).toBe(200);

      await proxy.stop();
      if (mode === "hung") await proxy.start("blackHole");
      // Twice: the first attempt may fail fast on a dropped pooled connection, the second must open a new one
      // (refused when down, never answered when hung).
      for (let attempt = 0; attempt < 2; attempt++) {
        const started = performance.now();
        const response = await receive(notificationRequest(n));
        expect(response.status).toBe(503);
        // Not a speed measurement: the driver would have taken 30 s; the deadline answered first.
        expect(performance.now() - started).toBeLessThan((DRIVER_GIVES_UP_SECONDS * 1000) / 2);
        expect((await response.json()).error).toMatch(/database unavailable/);
      }

      // Nothing half-written: no deposit, no event, no delivery for it.
      expect(await storedDeposit(direct.db, n.transaction_id)).toBeUndefined();
      expect(await storedEvents(direct.db, n.transaction_id)).toHaveLength(0);
      expect(await storedDeliveries(direct.db, n.transaction_id)).toHaveLength(0);

      await proxy.stop();
      await proxy.start();
      // The pool reconnects by itself; SkinsBack (or an operator's replay) sends the same notification again.
      // Bounded: each attempt is answered by the deadline, and the pool retries a connection within 0.5 s.
      let retry = await receive(notificationRequest(n));
      for (let attempt = 0; attempt < 20 && retry.status === 503; attempt++) {
        await new Promise((r) => setTimeout(r, 250));
        retry = await receive(notificationRequest(n));
      }
      expect(retry.status).toBe(200);
      expect((await storedDeposit(direct.db, n.transaction_id))?.status).toBe("success");
      // Applied exactly once. A statement the driver still held when the 503 went out may land once the database
      // is back (hung case); then the retry is its duplicate.
      const events = await storedEvents(direct.db, n.transaction_id);
      expect(events.filter((e) => e.outcome === "applied")).toHaveLength(1);
      // Every row says what its sender saw: one 200 (the retry); the 503s are recorded only where the database
      // took them (not while it was down), and one that landed late carries the note.
      await settled(); // a statement the driver held has landed (or failed), and its row is corrected
      const rows = await storedDeliveries(direct.db, n.transaction_id);
      expect(rows.filter((d) => d.httpStatus === 200)).toHaveLength(1);
      expect(rows.filter((d) => d.httpStatus !== 200).every((d) => d.httpStatus === 503)).toBe(true);
      expect(rows.length).toBeLessThanOrEqual(3);
      for (const row of rows) {
        if (row.httpStatus === 503 && row.outcome !== "unavailable") {
          expect(row.error).toMatch(
            /stored, but the commit finished after \d+ ms, when 503 had been answered/,
          );
        }
      }
    });
  }
});
