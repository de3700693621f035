import { describe, expect, it } from "vitest";
import { depositEvents } from "@/lib/db/schema";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { storedDeliveries, storedDeposit, storedEvents } from "@/lib/testing/inspect";
import { notificationRequest, sampleNotification } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";

describe.each(TEST_DATABASE_KINDS)("the same notification 50 times at once on %s", (kind) => {
  // Generous deadline: this test is about exactly-once under contention, not latency.
  const bed = useWebhookTestbed(kind, { deadlineMs: 20_000 });
  const receive = bed.receive;

  it("one deposit row, one applied event, 49 duplicates, 50 × 200", async () => {
    const n = sampleNotification({ status: "success" });
    const responses = await Promise.all(Array.from({ length: 50 }, () => receive(notificationRequest(n))));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const outcomes = responses.map((r) => r.headers.get("x-outcome"));
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(49);

    const db = bed.database.handle.db;
    expect((await storedDeposit(db, n.transaction_id))?.status).toBe("success");
    const events = await storedEvents(db, n.transaction_id);
    expect(events.filter((e) => e.outcome === "applied")).toHaveLength(1);
    expect(events.filter((e) => e.outcome === "duplicate")).toHaveLength(49);
    const deliveries = await storedDeliveries(db, n.transaction_id);
    expect(deliveries).toHaveLength(50);
    expect(new Set(deliveries.map((d) => d.httpStatus))).toEqual(new Set([200]));
  });

  it("the database itself refuses a second applied event for the same status", async () => {
    const n = sampleNotification({ status: "pending" });
    await receive(notificationRequest(n));
    const db = bed.database.handle.db;
    await expect(
      db.insert(depositEvents).values({
        transactionId: n.transaction_id,
        source: "webhook",
        status: "pending",
        outcome: "applied",
        payload: {},
      }),
    ).rejects.toSatisfy(
      (error: {
        code?: string;
        cause?: { code?: string; constraint_name?: string; constraint?: string };
      }) => {
        // A unique violation (23505) of the index that says "applied once per status", not any other failure.
        const cause = error.cause ?? error;
        return (
          (cause as { code?: string }).code === "23505" &&
          JSON.stringify(error).includes("deposit_events_applied_once_idx") === true
        );
      },
    );
  });
});
