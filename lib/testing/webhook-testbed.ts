import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from "./databases";
import { TEST_CREDENTIALS } from "./notifications";

/**
 * For a describe block: a fresh database of `kind` for its tests, and the webhook receiver bound to it.
 * Call inside `describe`; the database is opened before its tests and dropped after them — or, with `perTest`,
 * before and after each test, for tests whose setups (endpoints, settings) would otherwise meet.
 */
export function useWebhookTestbed(
  kind: TestDatabaseKind,
  options: { deadlineMs?: number; perTest?: boolean } = {},
) {
  const background: Promise<unknown>[] = [];
  const bed = {
    database: undefined as unknown as TestDatabase,
    /** The Result URL; `deadlineMs` for this request only (a send expected to succeed needs no tight one). */
    receive: (request: Request, receiveOptions: { deadlineMs?: number } = {}) =>
      receiveSkinsbackWebhook(
        {
          getDb: async () => bed.database.handle.db,
          credentials: TEST_CREDENTIALS,
          deadlineMs: receiveOptions.deadlineMs ?? options.deadlineMs,
          afterAnswer: (work) => background.push(work),
        },
        request,
      ),
    /** Waits for what the receiver still does after answering (a 503's own row, a late commit's correction). */
    settled: async () => {
      while (background.length > 0) await Promise.allSettled(background.splice(0));
    },
  };
  (options.perTest ? beforeEach : beforeAll)(async () => {
    bed.database = await openTestDatabase(kind);
  });
  (options.perTest ? afterEach : afterAll)(async () => {
    await bed.database?.drop();
  });
  return bed;
}
