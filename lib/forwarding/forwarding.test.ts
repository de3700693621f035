import { and, eq, sql } from "drizzle-orm";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { depositChanges, forwardAttempts, forwardEndpoints, forwardMessages } from "@/lib/db/schema";
import { applyObservation } from "@/lib/deposits/apply-observation";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { addTestEndpoint } from "@/lib/testing/forward-endpoint";
import { startForwardReceiver } from "@/lib/testing/forward-receiver";
import { manualClock } from "@/lib/testing/manual-clock";
import { notificationRequest, sampleNotification, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";
import { rotateSecret, setEndpointState } from "./endpoints";
import { deliverDueMessages, type SenderDeps } from "./sender";

const who = { actor: { kind: "system" } as const, address: null };
const SCHEDULE = [0, 5_000, 300_000, 1_800_000];
const _config = {
  forwarding: { allowPrivateNetworks: false, retryScheduleMs: SCHEDULE, environmentEndpoint: undefined },
};

/** A deposit's three changes: pending, in_hold, success (the money stays the same). */
function depositStory() {
  const pending = sampleNotification({ status: "pending" });
  const base = { transaction_id: pending.transaction_id, order_id: pending.order_id };
  return [
    pending,
    sampleNotification({ status: "in_hold", in_hold_until: 1_764_400_000, ...base }),
    sampleNotification({ status: "success", ...base }),
  ];
}

const dataOf = (body: Record<string, unknown> | undefined) => (body?.data ?? {}) as Record<string, unknown>;

/** Pauses every other endpoint of the test database, so each test sends only to its own. */
async function only(db: Db, endpointId: string) {
  await db.execute(
    sql`update forward_endpoints set state = case when id = ${endpointId} then 'enabled' else 'paused' end`,
  );
}

describe.each(TEST_DATABASE_KINDS)("forwarding on %s", (kind) => {
  const bed = useWebhookTestbed(kind);
  const db = () => bed.database.handle.db;
  const senderFor = (clock: { now: () => Date }, extra: Partial<SenderDeps> = {}): SenderDeps => ({
    db: db(),
    now: clock.now,
    retryScheduleMs: SCHEDULE,
    allowPrivateNetworks: false,
    project: TEST_CREDENTIALS,
    ...extra,
  });
  const receive = async (n: ReturnType<typeof sampleNotification>) =>
    expect((await bed.receive(notificationRequest(n))).status).toBe(200);

  it("each applied change is one message per endpoint, in order; duplicates and stale ones send nothing", async () => {
    let secret = "";
    const clock = manualClock();
    const receiver = await startForwardReceiver({ secrets: () => [secret], now: clock.now });
    try {
      const created = await addTestEndpoint(db(), `order-${kind}`, receiver.url);
      secret = created.secret;
      await only(db(), created.endpoint.id);
      const [pending, held, success] = depositStory() as [never, never, never];
      for (const n of [pending, held, success, success, pending, held]) await receive(n);
      const id = (pending as { transaction_id: string }).transaction_id;
      const changes = await db().select().from(depositChanges).where(eq(depositChanges.transactionId, id));
      expect(changes.map((c) => [c.type, c.sequence])).toEqual([
        ["deposit.pending", 1],
        ["deposit.in_hold", 2],
        ["deposit.success", 3],
      ]);
      for (let round = 0; round < 6; round++) await deliverDueMessages(senderFor(clock));
      const mine = receiver.received.filter((r) => dataOf(r.verified).transaction_id === id);
      expect(mine.map((r) => r.verified?.type)).toEqual([
        "deposit.pending",
        "deposit.in_hold",
        "deposit.success",
      ]);
      expect(mine.every((r) => r.verified !== undefined)).toBe(true);
      expect(dataOf(mine[2]?.verified)).toMatchObject({
        transaction_id: id,
        status: "success",
        previous_status: "in_hold",
        sequence: 3,
        source: "webhook",
        amount: "121.5", // as SkinsBack's PHP sent it
        user_amount: "243",
        amount_currency: "rub",
        unsigned: ["amount_in_currencies", "user_amount_in_currencies"],
      });
      expect(typeof dataOf(mine[2]?.verified).event_id).toBe("string");
    } finally {
      await receiver.close();
    }
  });

  it("a change and its messages are one: a rolled-back ingest leaves neither; a flag is a deposit.flagged", async () => {
    const created = await addTestEndpoint(db(), `atomic-${kind}`, "http://127.0.0.1:9/x");
    const n = sampleNotification({ status: "success" });
    await db()
      .transaction(async (tx) => {
        await applyObservation(tx as Db, { notification: n as never, payload: {}, source: "webhook" });
        throw new Error("crash before commit");
      })
      .catch(() => {});
    expect(
      await db().select().from(depositChanges).where(eq(depositChanges.transactionId, n.transaction_id)),
    ).toEqual([]);
    expect(
      await db().select().from(forwardMessages).where(eq(forwardMessages.transactionId, n.transaction_id)),
    ).toEqual([]);

    // Money changed between two statuses: applied, and flagged.
    const pending = sampleNotification({ status: "in_hold", in_hold_until: 1_764_400_000 });
    await receive(pending);
    await receive(
      sampleNotification({
        status: "success",
        transaction_id: pending.transaction_id,
        order_id: pending.order_id,
        amount: "999.00",
      }),
    );
    const types = (
      await db()
        .select()
        .from(forwardMessages)
        .where(eq(forwardMessages.transactionId, pending.transaction_id))
    )
      .filter((m) => m.endpointId === created.endpoint.id)
      .map((m) => `${m.type}#${m.sequence}`);
    expect(types).toEqual(["deposit.in_hold#1", "deposit.success#2", "deposit.flagged#3"]);
  });

  it("a receiver failing 30 % at random and down for 60 s: everything arrives once delivered, in order, retries keep their webhook-id", async () => {
    const clock = manualClock();
    let secret = "";
    let downUntil = 0;
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const receiver = await startForwardReceiver({
      secrets: () => [secret],
      now: clock.now,
      answer: () => {
        if (clock.elapsed() < downUntil) return { status: 503 };
        return random() < 0.3 ? { status: 500 } : { status: 200 };
      },
    });
    try {
      const created = await addTestEndpoint(db(), `flaky-${kind}`, receiver.url);
      secret = created.secret;
      await only(db(), created.endpoint.id);
      const stories = Array.from({ length: 12 }, depositStory);
      for (const story of stories.slice(0, 6)) for (const n of story) await receive(n);
      const deps = senderFor(clock, {
        retryScheduleMs: [
          0, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000, 5_000,
          5_000, 5_000, 5_000, 5_000, 5_000,
        ],
      });
      for (let round = 0; round < 3; round++) {
        await deliverDueMessages(deps);
        clock.advance(5_000);
      }
      // Down for 60 s in the middle, while more changes arrive.
      downUntil = clock.elapsed() + 60_000;
      for (const story of stories.slice(6)) for (const n of story) await receive(n);
      for (let round = 0; round < 60; round++) {
        await deliverDueMessages(deps);
        clock.advance(5_000);
      }
      const ids = new Set(stories.map((s) => (s[0] as { transaction_id: string }).transaction_id));
      const messages = (
        await db().select().from(forwardMessages).where(eq(forwardMessages.endpointId, created.endpoint.id))
      ).filter((m) => m.transactionId && ids.has(m.transactionId));
      expect(messages).toHaveLength(36);
      expect(messages.filter((m) => m.state !== "delivered")).toEqual([]);
      // Each deposit's first receipts of each change, in sequence order.
      for (const id of ids) {
        const firsts: number[] = [];
        for (const r of receiver.received) {
          const data = dataOf(r.verified);
          if (data.transaction_id === id && !firsts.includes(data.sequence as number))
            firsts.push(data.sequence as number);
        }
        expect(firsts, id).toEqual([1, 2, 3]);
      }
      // A retry is the same message: one webhook-id for one change, however many attempts.
      const idsPerChange = new Map<string, Set<string>>();
      for (const r of receiver.received) {
        const data = dataOf(r.verified);
        const key = `${data.transaction_id}#${data.sequence}`;
        idsPerChange.set(key, (idsPerChange.get(key) ?? new Set()).add(r.webhookId));
      }
      expect([...idsPerChange.values()].every((s) => s.size === 1)).toBe(true);
      expect(receiver.received.length).toBeGreaterThan(36); // there were retries
    } finally {
      await receiver.close();
    }
  });

  it("a sender that dies after sending: the claim expires, the message goes again with the same webhook-id", async () => {
    const clock = manualClock();
    let secret = "";
    const receiver = await startForwardReceiver({ secrets: () => [secret], now: clock.now });
    try {
      const created = await addTestEndpoint(db(), `crash-${kind}`, receiver.url);
      secret = created.secret;
      await only(db(), created.endpoint.id);
      const n = sampleNotification({ status: "success" });
      await receive(n);
      const { claimDueMessages } = await import("./sender");
      const { postMessage } = await import("./http-post");
      const { buildRequest } = await import("./message-request");
      const [claimed] = await claimDueMessages(senderFor(clock));
      if (!claimed) throw new Error("nothing claimed");
      // Sent, then the process dies before recording the answer.
      const { headers, body } = buildRequest(claimed.endpoint, claimed, clock.now(), TEST_CREDENTIALS);
      await postMessage(new URL(claimed.endpoint.url), headers, body, {
        timeoutMs: 5_000,
        allowInternal: true,
      });
      expect(await claimDueMessages(senderFor(clock))).toEqual([]); // still claimed
      clock.advance(46_000);
      expect(await deliverDueMessages(senderFor(clock))).toMatchObject({ delivered: 1 });
      const mine = receiver.received.filter((r) => dataOf(r.verified).transaction_id === n.transaction_id);
      expect(mine).toHaveLength(2);
      expect(new Set(mine.map((r) => r.webhookId)).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it("410 disables the endpoint and its messages wait; enabling sends them in order; Retry-After is kept; a hang is cut", async () => {
    const clock = manualClock();
    let mode: "gone" | "busy" | "hang" | "ok" = "gone";
    const receiver = await startForwardReceiver({
      answer: () =>
        mode === "gone"
          ? { status: 410 }
          : mode === "busy"
            ? { status: 429, headers: { "retry-after": "120" } }
            : mode === "hang"
              ? { status: 200, hangMs: 3_000 }
              : { status: 200 },
    });
    try {
      const created = await addTestEndpoint(db(), `gone-${kind}`, receiver.url);
      await only(db(), created.endpoint.id);
      const [pending, held] = depositStory() as [never, never];
      await receive(pending);
      const deps = senderFor(clock, { timeoutMs: 300 });
      expect(await deliverDueMessages(deps)).toMatchObject({ endpoint_gone: 1 });
      const [endpoint] = await db()
        .select()
        .from(forwardEndpoints)
        .where(eq(forwardEndpoints.id, created.endpoint.id));
      expect(endpoint?.state).toBe("disabled");
      expect(endpoint?.stateReason).toContain("410");
      await receive(held);
      expect(await deliverDueMessages(deps)).toMatchObject({ endpoint_gone: 0, delivered: 0 }); // nothing while disabled

      mode = "busy";
      await setEndpointState(db(), created.endpoint.id, "enabled", who);
      expect(await deliverDueMessages(deps)).toMatchObject({ retry: 1 });
      const [waiting] = await db()
        .select()
        .from(forwardMessages)
        .where(
          and(
            eq(forwardMessages.endpointId, created.endpoint.id),
            eq(forwardMessages.transactionId, (pending as { transaction_id: string }).transaction_id),
          ),
        )
        .orderBy(forwardMessages.sequence);
      expect(waiting?.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 120_000);

      mode = "hang";
      clock.advance(120_000);
      expect(await deliverDueMessages(deps)).toMatchObject({ retry: 1 });
      const [cut] = await db()
        .select()
        .from(forwardAttempts)
        .where(eq(forwardAttempts.endpointId, created.endpoint.id))
        .orderBy(sql`${forwardAttempts.id} desc`)
        .limit(1);
      expect(cut?.error).toBe("no answer within 0.3 s");

      mode = "ok";
      clock.advance(300_000);
      expect(await deliverDueMessages(deps)).toMatchObject({ delivered: 1 });
      expect(await deliverDueMessages(deps)).toMatchObject({ delivered: 1 }); // the next change, only now
      const sequences = receiver.received
        .slice(-2)
        .map((r) => (JSON.parse(r.body).data as { sequence: number }).sequence);
      expect(sequences).toEqual([1, 2]);
    } finally {
      await receiver.close();
    }
  });

  it("after the schedule's last attempt the message is failed, and later changes of the deposit go on", async () => {
    const clock = manualClock();
    let failFirst = true;
    const receiver = await startForwardReceiver({
      answer: (r) =>
        failFirst && (JSON.parse(r.body).data as { sequence: number }).sequence === 1
          ? { status: 500 }
          : { status: 200 },
    });
    try {
      const created = await addTestEndpoint(db(), `give-up-${kind}`, receiver.url);
      await only(db(), created.endpoint.id);
      const [pending, held] = depositStory() as [never, never];
      await receive(pending);
      await receive(held);
      const deps = senderFor(clock);
      for (const delay of [...SCHEDULE.slice(1), 0]) {
        await deliverDueMessages(deps);
        clock.advance(delay);
      }
      await deliverDueMessages(deps);
      const states = (
        await db()
          .select()
          .from(forwardMessages)
          .where(
            and(
              eq(forwardMessages.endpointId, created.endpoint.id),
              eq(forwardMessages.transactionId, (pending as { transaction_id: string }).transaction_id),
            ),
          )
          .orderBy(forwardMessages.sequence)
      ).map((m) => [m.sequence, m.state, m.attempts]);
      expect(states).toEqual([
        [1, "failed", SCHEDULE.length],
        [2, "delivered", 1],
      ]);
      failFirst = false;
    } finally {
      await receiver.close();
    }
  });

  it("an endpoint failing everything for 5 days is disabled and says so; a success in between resets the count", async () => {
    const clock = manualClock();
    let ok = false;
    const receiver = await startForwardReceiver({ answer: () => ({ status: ok ? 200 : 500 }) });
    try {
      const created = await addTestEndpoint(db(), `five-days-${kind}`, receiver.url);
      await only(db(), created.endpoint.id);
      const deps = senderFor(clock, { retryScheduleMs: Array(20).fill(86_400_000) });
      const state = async () =>
        (await db().select().from(forwardEndpoints).where(eq(forwardEndpoints.id, created.endpoint.id)))[0];
      await receive(sampleNotification({ status: "success" }));
      await deliverDueMessages(deps); // failing since day 0
      for (let day = 1; day <= 3; day++) {
        clock.advance(86_400_000);
        await deliverDueMessages(deps);
      }
      ok = true; // one success on day 4 ends the streak
      await receive(sampleNotification({ status: "success" }));
      clock.advance(86_400_000);
      await deliverDueMessages(deps);
      expect((await state())?.failingSince).toBeNull();
      ok = false;
      for (let day = 0; day <= 4; day++) {
        await receive(sampleNotification({ status: "success" }));
        await deliverDueMessages(deps);
        clock.advance(86_400_000);
      }
      expect((await state())?.state).toBe("enabled"); // failing for 4 days and counting
      await receive(sampleNotification({ status: "success" }));
      await deliverDueMessages(deps);
      const disabled = await state();
      expect(disabled?.state).toBe("disabled");
      expect(disabled?.stateReason).toContain("5 days");
    } finally {
      await receiver.close();
    }
  });

  it("a secret rotation: both signatures verify for 24 hours, then only the new one", async () => {
    const clock = manualClock();
    const receiver = await startForwardReceiver({});
    try {
      const created = await addTestEndpoint(db(), `rotate-${kind}`, receiver.url);
      await only(db(), created.endpoint.id);
      const rotated = await rotateSecret(db(), created.endpoint.id, who, clock.now());
      await receive(sampleNotification({ status: "success" }));
      await deliverDueMessages(senderFor(clock));
      const during = receiver.received.at(-1);
      if (!during) throw new Error("nothing received");
      expect(during.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
      // The package checks the timestamp against Date.now: verify on the test's clock.
      const verifyNow = (secret: string, message: { body: string; headers: Record<string, string> }) => {
        const realNow = Date.now;
        Date.now = () => clock.now().getTime();
        try {
          new Webhook(secret).verify(message.body, message.headers);
        } finally {
          Date.now = realNow;
        }
      };
      for (const secret of [created.secret, rotated.secret]) {
        expect(() => verifyNow(secret, during)).not.toThrow();
      }
      clock.advance(24 * 3_600_000 + 1_000);
      await receive(sampleNotification({ status: "success" }));
      await deliverDueMessages(senderFor(clock));
      const after = receiver.received.at(-1);
      if (!after || after === during) throw new Error("nothing received after the overlap");
      expect(after.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
      expect(() => verifyNow(rotated.secret, after)).not.toThrow();
      expect(() => verifyNow(created.secret, after)).toThrow(WebhookVerificationError);
    } finally {
      await receiver.close();
    }
  });

  it("an endpoint is reached only where the rule allows: an internal address is refused at save and at connect", async () => {
    const refuse = addTestEndpoint(db(), `inside-${kind}`, "http://169.254.169.254/latest/meta-data", {
      allowPrivateNetwork: false,
    });
    await expect(refuse).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      addTestEndpoint(db(), `meta-${kind}`, "http://metadata.google.internal/", {
        allowPrivateNetwork: false,
      }),
    ).rejects.toThrow(/metadata/);
    await expect(
      addTestEndpoint(db(), `lo-${kind}`, "http://127.0.0.1:1/x", { allowPrivateNetwork: false }),
    ).rejects.toThrow(/internal network/);
    // Saved while allowed, then the rule changed: the sender refuses to connect.
    const receiver = await startForwardReceiver({});
    try {
      const created = await addTestEndpoint(db(), `later-${kind}`, receiver.url);
      await only(db(), created.endpoint.id);
      await db()
        .update(forwardEndpoints)
        .set({ allowPrivateNetwork: false })
        .where(eq(forwardEndpoints.id, created.endpoint.id));
      await receive(sampleNotification({ status: "success" }));
      expect(await deliverDueMessages(senderFor(manualClock()))).toMatchObject({ retry: 1 });
      expect(receiver.received).toHaveLength(0);
      const [attempt] = rowsOf<{ error: string }>(
        await db().execute(
          sql`select error from forward_attempts where endpoint_id = ${created.endpoint.id}`,
        ),
      );
      expect(attempt?.error).toContain("internal address");
    } finally {
      await receiver.close();
    }
  });
});
