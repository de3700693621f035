import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "@/lib/db/schema";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { addDepositNote } from "./notes";
import { getDepositTimeline } from "./timeline";

describe.each(TEST_DATABASE_KINDS)("notes on a deposit (%s)", (kind) => {
  let database: TestDatabase;
  const db = () => database.handle.db;
  const by = { actor: { kind: "system" as const }, label: "bob@example.test", address: "127.0.0.1" };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    await db().execute(sql`
      insert into deposits (transaction_id, order_id, status, created_at) values ('note-1', 'o', 'pending', now())`);
    await db().execute(sql`
      insert into deposit_events (transaction_id, source, status, outcome, payload, observed_at)
      values ('note-1', 'webhook', 'pending', 'applied', '{}', now() - interval '1 minute')`);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("a note joins the timeline after what happened before it, with its author, and is audited", async () => {
    await addDepositNote(db(), "note-1", "player confirmed by chat", by);
    const timeline = await getDepositTimeline(db(), "note-1");
    expect(timeline.map((e) => (e.note ? `note:${e.note.body}:${e.note.by}` : e.event?.status))).toEqual([
      "pending",
      "note:player confirmed by chat:bob@example.test",
    ]);
    const [act] = await db().select().from(auditEvents).where(eq(auditEvents.action, "deposit.note"));
    expect(act).toMatchObject({ transactionId: "note-1", outcome: "ok" });
  });

  it("a deposit the console does not know takes no note", async () => {
    await expect(addDepositNote(db(), "note-unknown", "x", by)).rejects.toMatchObject({ code: "not_found" });
  });
});
