import { describe, expect, it } from "vitest";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import type { NotificationInput } from "@/lib/skinsback/notification-builder";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { storedDeposit, storedEvents } from "@/lib/testing/inspect";
import { notificationRequest, sampleNotification } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";

/** The documented lifecycles, in the order SkinsBack sends their notifications. */
const LIFECYCLES: { name: string; steps: { status: DepositStatus; reason?: string }[] }[] = [
  { name: "pending→success", steps: [{ status: "pending" }, { status: "success" }] },
  ...["timeout", "trade_timeout", "trade_canceled"].map((reason) => ({
    name: `pending→fail (${reason})`,
    steps: [{ status: "pending" as const }, { status: "fail" as const, reason }],
  })),
  {
    name: "pending→in_hold→success",
    steps: [{ status: "pending" }, { status: "in_hold" }, { status: "success" }],
  },
  { name: "in_hold→fail", steps: [{ status: "in_hold" }, { status: "fail", reason: "trade_canceled" }] },
  {
    name: "in_hold→hold_approved→success",
    steps: [{ status: "in_hold" }, { status: "hold_approved" }, { status: "success" }],
  },
  {
    name: "in_hold→hold_approved→hold_returned",
    steps: [{ status: "in_hold" }, { status: "hold_approved" }, { status: "hold_returned" }],
  },
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Indices into the lifecycle's steps, e.g. [2, 0, 1]. */
type Order = number[];

describe.each(TEST_DATABASE_KINDS)("documented lifecycles in every delivery order on %s", (kind) => {
  const bed = useWebhookTestbed(kind);
  const receive = bed.receive;

  const notificationsFor = (lifecycle: (typeof LIFECYCLES)[number]): NotificationInput[] => {
    const base = sampleNotification({ status: "pending" });
    return lifecycle.steps.map((step) => sampleNotification({ ...base, ...step }));
  };

  for (const lifecycle of LIFECYCLES) {
    const final = lifecycle.steps.at(-1)?.status;
    for (const order of permutations<number>(lifecycle.steps.map((_, i) => i)) as Order[]) {
      const label = order.map((i) => lifecycle.steps[i]?.status).join(", ");

      it(`${lifecycle.name}: sequential [${label}] ends ${final}, late ones stale`, async () => {
        const notifications = notificationsFor(lifecycle);
        const outcomes: string[] = [];
        for (const i of order) {
          const response = await receive(notificationRequest(notifications[i] as NotificationInput));
          expect(response.status).toBe(200);
          outcomes.push(response.headers.get("x-outcome") ?? "");
        }
        // A notification is late when one later in the lifecycle was delivered before it.
        let furthest = -1;
        const expected = order.map((i) => {
          const outcome = i > furthest ? "applied" : "stale";
          furthest = Math.max(furthest, i);
          return outcome;
        });
        expect(outcomes).toEqual(expected);
        const transactionId = notifications[0]?.transaction_id as string;
        expect((await storedDeposit(bed.database.handle.db, transactionId))?.status).toBe(final);
        const events = await storedEvents(bed.database.handle.db, transactionId);
        expect(events.map((e) => e.outcome)).toEqual(expected);
      });

      it(`${lifecycle.name}: concurrent [${label}] ends ${final}`, async () => {
        const notifications = notificationsFor(lifecycle);
        const responses = await Promise.all(
          order.map((i) => receive(notificationRequest(notifications[i] as NotificationInput))),
        );
        expect(responses.map((r) => r.status)).toEqual(order.map(() => 200));
        const transactionId = notifications[0]?.transaction_id as string;
        expect((await storedDeposit(bed.database.handle.db, transactionId))?.status).toBe(final);

        const events = await storedEvents(bed.database.handle.db, transactionId);
        expect(events).toHaveLength(order.length);
        // Whatever the interleaving: nothing is a duplicate or conflict, the applied statuses climb the
        // lifecycle in the order they were judged, and the final status is applied exactly once.
        for (const e of events) expect(["applied", "stale"]).toContain(e.outcome);
        const rank = (s: DepositStatus) => lifecycle.steps.findIndex((step) => step.status === s);
        const applied = events.filter((e) => e.outcome === "applied").map((e) => rank(e.status));
        expect(applied).toEqual([...applied].sort((a, b) => a - b));
        expect(applied.at(-1)).toBe(lifecycle.steps.length - 1);
        for (const e of events.filter((x) => x.outcome === "stale")) {
          expect(applied.some((r) => r > rank(e.status))).toBe(true);
        }
      });
    }
  }
});
