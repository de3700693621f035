import { afterAll, beforeAll } from "vitest";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from "./databases";
import { TEST_CREDENTIALS } from "./notifications";

/**
 * For a describe block: a fresh database of `kind` for its tests, and the webhook receiver bound to it.
 * Call inside `describe`; the database is opened before its tests and dropped after them.
 */
export function useWebhookTestbed(kind: TestDatabaseKind, options: { deadlineMs?: number } = {}) {
  const bed = {
    database: undefined as unknown as TestDatabase,
    receive: (request: Request) =>
      receiveSkinsbackWebhook(
        {
          getDb: async () => bed.database.handle.db,
          credentials: TEST_CREDENTIALS,
          deadlineMs: options.deadlineMs,
        },
        request,
      ),
  };
  beforeAll(async () => {
    bed.database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await bed.database?.drop();
  });
  return bed;
}
