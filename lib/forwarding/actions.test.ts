import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, forwardMessages } from "@/lib/db/schema";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { addTestEndpoint } from "@/lib/testing/forward-endpoint";
import { startForwardReceiver } from "@/lib/testing/forward-receiver";
import { manualClock } from "@/lib/testing/manual-clock";
import { notificationRequest, sampleNotification, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";
import {
  cancelRecovery,
  countFailedSince,
  latestRecovery,
  recoverFailedSince,
  resendMessage,
  retryWaitingNow,
  sendTestEvent,
} from "./actions";
import { ensureEnvironmentEndpoint, setEndpointState } from "./endpoints";
import { getMessage } from "./queries";
import { deliverDueMessages } from "./sender";

const operator = {
  actor: { kind: "operator", id: "op-1", email: "ops@example.test" } as const,
  address: "127.0.0.7",
};

describe.each(TEST_DATABASE_KINDS)("operators' forwarding actions on %s", (kind) => {
  // Each test sets up its own endpoints: a database each, so one test's endpoint never gets another's changes.
  const bed = useWebhookTestbed(kind, { perTest: true });
  const db = () => bed.database.handle.db;
  const _config = {
    forwarding: { allowPrivateNetworks: false, retryScheduleMs: [0], environmentEndpoint: undefined },
  };

  it("Retry now: a backend back up gets what waits at once, in order, audited; nothing else moves", async () => {
    const clock = manualClock();
    let down = true;
    const receiver = await startForwardReceiver({ answer: () => ({ status: down ? 503 : 200 }) });
    try {
      const { endpoint } = await addTestEndpoint(db(), `retry-now-${kind}`, receiver.url, {}, operator);
      for (let i = 0; i < 3; i++)
        await bed.receive(notificationRequest(sampleNotification({ status: "success" })));
      const deps = {
        db: db(),
        now: clock.now,
        retryScheduleMs: [0, 300_000, 300_000],
        allowPrivateNetworks: false,
        project: TEST_CREDENTIALS,
      };
      await deliverDueMessages(deps);
      // Down: each waits five minutes for its next try; the backend comes back a minute later.
      clock.advance(60_000);
      down = false;
      expect(await deliverDueMessages(deps)).toMatchObject({ delivered: 0 });
      expect(await retryWaitingNow(db(), endpoint.id, operator, clock.now())).toEqual({ count: 3 });
      expect(await deliverDueMessages(deps)).toMatchObject({ delivered: 3 });
      expect(await retryWaitingNow(db(), endpoint.id, operator, clock.now())).toEqual({ count: 0 });
      const acts = await db()
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.action, "forwarding.retry-now"));
      expect(acts.filter((a) => a.targetId === endpoint.id)).toHaveLength(2);
      // Paused again: the other tests' changes are not sent to this test's receiver.
      await setEndpointState(db(), endpoint.id, "paused", operator);
    } finally {
      await receiver.close();
    }
  });

  it("Resend, Recover failed since T (count, progress, cancel) and a test event, each audited and once when clicked twice", async () => {
    const clock = manualClock();
    let failing = true;
    const receiver = await startForwardReceiver({ answer: () => ({ status: failing ? 500 : 200 }) });
    try {
      const { endpoint } = await addTestEndpoint(db(), `ops-${kind}`, receiver.url, {}, operator);
      const since = new Date(Date.now() - 60_000);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const n = sampleNotification({ status: "success" });
        ids.push(n.transaction_id);
        await bed.receive(notificationRequest(n));
      }
      const deps = {
        db: db(),
        now: clock.now,
        retryScheduleMs: [0],
        allowPrivateNetworks: false,
        project: TEST_CREDENTIALS,
      };
      expect(await deliverDueMessages(deps)).toMatchObject({ failed: 5 });
      expect(await countFailedSince(db(), endpoint.id, since)).toBe(5);

      // Resend one: twice in a row queues it once.
      const [first] = await db()
        .select()
        .from(forwardMessages)
        .where(
          and(
            eq(forwardMessages.endpointId, endpoint.id),
            eq(forwardMessages.transactionId, ids[0] as string),
          ),
        );
      if (!first) throw new Error("no message");
      const clicks = await Promise.all([
        resendMessage(db(), first.id, operator),
        resendMessage(db(), first.id, operator),
      ]);
      expect(clicks.map((c) => c.queued).sort()).toEqual([false, true]);
      failing = false;
      expect(await deliverDueMessages(deps)).toMatchObject({ delivered: 1 });
      const detail = await getMessage(db(), first.id, TEST_CREDENTIALS, { revealSignature: false });
      expect(detail.attempts.map((a) => a.delivered)).toEqual([false, true]);
      expect(detail.headers["webhook-signature"]).toBe("[redacted]");
      expect(
        new Set(
          receiver.received
            .filter((r) => JSON.parse(r.body).data.transaction_id === ids[0])
            .map((r) => r.webhookId),
        ).size,
      ).toBe(1);

      // Recover the other four; cancel stops what is still waiting.
      expect(await countFailedSince(db(), endpoint.id, since)).toBe(4);
      const recovery = await recoverFailedSince(db(), endpoint.id, since, operator);
      expect(recovery.total).toBe(4);
      await expect(recoverFailedSince(db(), endpoint.id, since, operator)).rejects.toMatchObject({
        code: "conflict",
      });
      await setEndpointState(db(), endpoint.id, "paused", operator);
      expect(await cancelRecovery(db(), recovery.id, operator)).toBe(4);
      expect(await latestRecovery(db(), endpoint.id)).toMatchObject({
        total: 4,
        delivered: 0,
        waiting: 0,
        failed: 4,
      });
      const again = await recoverFailedSince(db(), endpoint.id, since, operator);
      await setEndpointState(db(), endpoint.id, "enabled", operator);
      expect(await deliverDueMessages(deps)).toMatchObject({ delivered: 4 });
      expect(await latestRecovery(db(), endpoint.id)).toMatchObject({
        id: again.id,
        delivered: 4,
        waiting: 0,
      });

      // A test event reaches the endpoint, with no deposit.
      await sendTestEvent(db(), endpoint.id, operator);
      expect(await deliverDueMessages(deps)).toMatchObject({ delivered: 1 });
      expect(JSON.parse(receiver.received.at(-1)?.body ?? "{}")).toMatchObject({ type: "console.test" });

      const acts = await db()
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.actorEmail, "ops@example.test"));
      const actions = acts.map((a) => a.action);
      expect(actions.filter((a) => a === "forwarding.resend")).toHaveLength(1);
      expect(actions.filter((a) => a === "forwarding.recover")).toHaveLength(3);
      expect(actions).toContain("forwarding.test-event");
      expect(actions).toContain("forwarding.endpoint-state");
    } finally {
      await receiver.close();
    }
  });

  it("CONSOLE_FORWARD_URL makes the endpoint `default`, and a changed variable updates it", async () => {
    const env = (url: string, secret: string) => ({
      forwarding: {
        allowPrivateNetworks: true,
        retryScheduleMs: [0],
        environmentEndpoint: { url, secret, format: "standard" as const },
      },
    });
    const secret = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;
    expect(await ensureEnvironmentEndpoint(db(), env("http://127.0.0.1:9/a", secret))).toContain("default");
    await ensureEnvironmentEndpoint(db(), env("http://127.0.0.1:9/b", secret));
    const { listEndpoints } = await import("./endpoints");
    const named = (await listEndpoints(db())).filter((e) => e.name === "default");
    expect(named.map((e) => [e.url, e.secret, e.origin])).toEqual([
      ["http://127.0.0.1:9/b", secret, "environment"],
    ]);
  });
});
