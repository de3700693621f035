import { createInterface } from "node:readline";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_RULES_SETTING } from "@/lib/alerts/settings";
import {
  alertChannels,
  alertIncidents,
  alertMessages,
  reconcileRuns,
  skinsbackFailures,
} from "@/lib/db/schema";
import { writeSetting } from "@/lib/settings/store";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { spawnTsx } from "@/lib/testing/worker-process";
import { ALERT_RULES } from "./rule-schemas";

const HOUR = 3_600_000;

describe("two app processes on one PostgreSQL", () => {
  let consoleDb: TestDatabase;
  let sandboxDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  beforeAll(async () => {
    [consoleDb, sandboxDb] = await Promise.all([openTestDatabase("postgres"), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([consoleDb?.drop(), sandboxDb?.drop()]);
  });

  it("decide each incident once (open, remind, resolve) and run each reconciliation once", async () => {
    const db = consoleDb.handle.db;
    await db.insert(alertChannels).values({
      name: "ops",
      kind: "slack",
      target: { host: "127.0.0.1" },
      secret: "http://127.0.0.1:9/hook",
      createdBy: "test",
    });
    await writeSetting(
      db,
      ALERT_RULES_SETTING,
      { "failed-notifications": { ...ALERT_RULES["failed-notifications"].defaults, count: 0 } },
      "test",
    );
    const workers = [0, 1].map(() =>
      spawnTsx("lib/testing/jobs-worker.ts", [
        consoleDb.url as string,
        harness.apiUrl,
        "2031-01-01T00:00:00.000Z",
      ]),
    );
    try {
      const next = workers.map((w) =>
        createInterface({ input: w.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator](),
      );
      const reply = async (i: number) => (await next[i]?.next())?.value as string;
      expect(await Promise.all([reply(0), reply(1)])).toEqual(["ready", "ready"]);
      const tick = async (ms: number) => {
        for (const w of workers) w.stdin?.write(`tick ${ms}\n`);
        expect(await Promise.all([reply(0), reply(1)])).toEqual([`ticked ${ms}`, `ticked ${ms}`]);
      };
      const [failure] = await db
        .insert(skinsbackFailures)
        .values({
          transactionId: "7770001",
          orderId: "two-process",
          httpCode: "500",
          listedCount: 1,
          firstSeenAt: new Date("2031-01-01T00:00:00Z"),
        })
        .returning();
      // Opened at 0; a reminder is due at 4 h (the default 240 minutes); resolved at 5 h.
      for (const ms of [0, HOUR, 4 * HOUR, 4 * HOUR + 60_000]) await tick(ms);
      await db
        .update(skinsbackFailures)
        .set({ resolvedAt: new Date(), resolution: "replayed" })
        .where(eq(skinsbackFailures.id, failure?.id as number));
      for (const ms of [5 * HOUR, 5 * HOUR + 60_000]) await tick(ms);
      for (const w of workers) w.stdin?.end("end\n");
      await Promise.all([reply(0), reply(1)]);

      const incidents = await db
        .select()
        .from(alertIncidents)
        .where(eq(alertIncidents.rule, "failed-notifications"));
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({ state: "resolved", reminders: 1 });
      const messages = await db
        .select()
        .from(alertMessages)
        .where(eq(alertMessages.incidentId, incidents[0]?.id as number));
      expect(messages.map((m) => m.kind).sort()).toEqual(["opened", "reminder", "resolved"]);
      // The first run is due 10 minutes in (FIRST_RUN_AFTER_MS); then every minute. Five ticks at least a minute
      // apart after that: five runs, not ten.
      expect(await db.select().from(reconcileRuns)).toHaveLength(5);
    } finally {
      for (const w of workers) w.kill();
    }
  });
});
