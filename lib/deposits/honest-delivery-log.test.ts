import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedDeliveries, storedDeposit, storedEvents } from "@/lib/testing/inspect";
import { notificationRequest, sampleNotification } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";

// Row locks held by another session exist only on a real server.
describe("the delivery log tells what the sender saw (PostgreSQL, a deposit row locked by another session)", () => {
  // Only the request that meets the lock has a tight deadline; the others have all the time a loaded machine needs.
  const bed = useWebhookTestbed("postgres", { deadlineMs: 30_000 });
  let locker: postgres.Sql;
  beforeAll(() => {
    locker = postgres(bed.database.url as string, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await locker?.end({ timeout: 2 });
  });

  it("answered 503 while the lock was held → no applied/200 row, nothing applied; the resend applies once", async () => {
    const n = sampleNotification({ status: "pending" });
    expect((await bed.receive(notificationRequest(n))).status).toBe(200);
    const success = {
      ...n,
      ...sampleNotification({ status: "success" }),
      transaction_id: n.transaction_id,
      order_id: n.order_id,
    };

    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked: () => void = () => {};
    const lockTaken = new Promise<void>((r) => {
      locked = r;
    });
    const holder = locker.begin(async (tx) => {
      await tx`select 1 from deposits where transaction_id = ${n.transaction_id} for update`;
      locked();
      await released;
    });
    await lockTaken;
    // The lock is held until after the answer, so this is a 503 whatever the machine's speed.
    const response = await bed.receive(notificationRequest(success), { deadlineMs: 300 });
    expect(response.status).toBe(503);
    release();
    await holder;
    // Everything the receiver does after answering (its 503 row; a commit, which must not happen) has finished.
    await bed.settled();

    const db = bed.database.handle.db;
    const rows = (await storedDeliveries(db, n.transaction_id)).filter(
      (d) => d.notificationStatus === "success",
    );
    expect(rows.map((d) => [d.outcome, d.httpStatus])).toEqual([["unavailable", 503]]);
    expect((await storedDeposit(db, n.transaction_id))?.status).toBe("pending");
    expect((await storedEvents(db, n.transaction_id)).map((e) => e.status)).toEqual(["pending"]);

    // SkinsBack lists it as failed; sent again (or replayed), it applies exactly once.
    const again = await bed.receive(notificationRequest(success));
    expect(again.status).toBe(200);
    expect(again.headers.get("x-outcome")).toBe("applied");
    expect((await storedDeposit(db, n.transaction_id))?.status).toBe("success");
    const all = (await storedDeliveries(db, n.transaction_id)).map(
      (d) => `${d.notificationStatus}:${d.outcome}/${d.httpStatus}`,
    );
    expect(all.sort()).toEqual(["pending:applied/200", "success:applied/200", "success:unavailable/503"]);
  });
});
