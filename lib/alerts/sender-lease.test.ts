import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/config";
import { alertMessages } from "@/lib/db/schema";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { serve } from "@/lib/testing/http-server";
import { manualClock } from "@/lib/testing/manual-clock";
import { createChannel } from "./channel-store";
import { claimAlertMessages, deliverAlerts, sendClaimedAlerts } from "./sender";

const by = {
  actor: { kind: "operator", id: "op-1", email: "admin@example.com" },
  label: "admin@example.com",
  address: null,
} as const;

/** The alert sender's lease: one claim, one send, whatever pauses; a channel's Retry-After has a ceiling. */
describe.each(TEST_DATABASE_KINDS)("the alert sender's lease on %s", (kind) => {
  let database: TestDatabase;
  let receiver: Awaited<ReturnType<typeof serve>>;
  const arrived: string[] = [];
  let answer: () => Response = () => new Response("ok");
  const config = parseConfig({ FORWARD_ALLOW_PRIVATE_NETWORKS: "1", APP_ORIGIN: "http://127.0.0.1:3999" });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    receiver = await serve(async (request) => {
      arrived.push(await request.text());
      return answer();
    });
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  async function waitingMessage(name: string, now: Date) {
    const { channel } = await createChannel(
      database.handle.db,
      {
        name,
        channel: { kind: "slack", webhookUrl: `${receiver.origin}/${name}` },
        allowPrivateNetwork: true,
      },
      by,
      config,
    );
    const [message] = await database.handle.db
      .insert(alertMessages)
      .values({
        channelId: channel.id,
        kind: "test",
        title: name,
        text: name,
        nextAttemptAt: now,
        createdAt: now,
      })
      .returning();
    return message as NonNullable<typeof message>;
  }

  const options = (now: Date) => ({
    now,
    appOrigin: config.appOrigin,
    allowInternal: true,
    retryScheduleMs: [0, 60_000, 60_000],
  });

  it("a sender paused past its lease finds the message taken over and sends nothing: one message, one send", async () => {
    const clock = manualClock("2032-02-01T10:00:00.000Z");
    const message = await waitingMessage("paused", clock.now());
    const before = arrived.length;
    // Instance A claims, then stalls (a long GC, a frozen VM) before sending.
    const stalled = await claimAlertMessages(database.handle.db, clock.now(), 20);
    expect(stalled.messages.map((m) => m.id)).toContain(message.id);
    // Past A's lease, instance B claims the same message and sends it.
    clock.advance(61_000);
    const other = await deliverAlerts(database.handle.db, { ...options(clock.now()), limit: 20 });
    expect(other.sent).toBeGreaterThanOrEqual(1);
    expect(arrived.length - before).toBe(1);
    // A wakes up and goes on with its batch: its token no longer holds the lease, so it sends nothing.
    const late = await sendClaimedAlerts(database.handle.db, stalled, options(clock.now()));
    expect(late.sent).toBe(0);
    expect(arrived.length - before).toBe(1);
    const [row] = await database.handle.db
      .select()
      .from(alertMessages)
      .where(eq(alertMessages.id, message.id));
    expect(row).toMatchObject({ state: "sent", attempts: 1 });
  });

  it("a channel's Retry-After parks a message for a day at most", async () => {
    const clock = manualClock("2032-03-01T10:00:00.000Z");
    const message = await waitingMessage("retry-after", clock.now());
    answer = () => new Response("slow down", { status: 429, headers: { "retry-after": "999999999" } });
    try {
      await deliverAlerts(database.handle.db, { ...options(clock.now()), limit: 20 });
    } finally {
      answer = () => new Response("ok");
    }
    const [row] = await database.handle.db
      .select()
      .from(alertMessages)
      .where(eq(alertMessages.id, message.id));
    expect(row?.state).toBe("waiting");
    expect(row?.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 86_400_000);
  });
});
