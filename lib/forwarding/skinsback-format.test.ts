import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/lib/db/rows";
import { deposits } from "@/lib/db/schema";
import { receiveSkinsbackWebhook } from "@/lib/deposits/webhook-receiver";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { addTestEndpoint } from "@/lib/testing/forward-endpoint";
import { startForwardReceiver } from "@/lib/testing/forward-receiver";
import { manualClock } from "@/lib/testing/manual-clock";
import { notificationRequest, sampleNotification, TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";
import { getMessage } from "./queries";
import { deliverDueMessages } from "./sender";

/** docs/skinsback-protocol.md#signature, the documented algorithm written out here, independent of lib/skinsback. */
function referenceSign(params: Record<string, unknown>, secret: string): string {
  const base = Object.keys(params)
    .filter((k) => k !== "sign")
    .filter((k) => {
      const v = params[k];
      return v !== null && typeof v !== "object" && v !== undefined;
    })
    .sort()
    .map((k) => `${k}:${String(params[k])};`)
    .join("");
  return createHmac("sha1", secret).update(base, "utf8").digest("hex");
}

const _who = { actor: { kind: "system" } as const, address: null };
const _config = {
  forwarding: { allowPrivateNetworks: false, retryScheduleMs: [0], environmentEndpoint: undefined },
};

describe("the skinsback format: a merchant's existing SkinsBack handler takes it unchanged", () => {
  const bed = useWebhookTestbed("pglite");
  /** The merchant's side: a second console, whose receiver is the SkinsBack handler under test. */
  let merchant: TestDatabase;
  beforeAll(async () => {
    merchant = await openTestDatabase("pglite");
  });
  afterAll(async () => {
    await merchant?.drop();
  });

  it("each status arrives as SkinsBack's own notification, signed with the project's secret or the endpoint's", async () => {
    const clock = manualClock();
    const receiver = await startForwardReceiver({});
    try {
      const json = await addTestEndpoint(bed.database.handle.db, "drop-in json", receiver.url, {
        format: "skinsback",
      });
      const form = await addTestEndpoint(bed.database.handle.db, "drop-in form", receiver.url, {
        format: "skinsback",
        skinsbackEncoding: "form",
        skinsbackSecret: "merchant-own-secret-1",
      });
      const pending = sampleNotification({
        status: "in_hold",
        in_hold_until: 1_764_400_000,
        amount: "243.00",
      });
      const success = sampleNotification({
        status: "success",
        transaction_id: pending.transaction_id,
        order_id: pending.order_id,
        amount: "250.00",
      });
      await bed.receive(notificationRequest(pending));
      await bed.receive(notificationRequest(success));
      for (let round = 0; round < 3; round++)
        await deliverDueMessages({
          db: bed.database.handle.db,
          now: clock.now,
          retryScheduleMs: [0],
          allowPrivateNetworks: false,
          project: TEST_CREDENTIALS,
        });
      const jsonBodies = receiver.received.filter((r) => r.headers["content-type"] === "application/json");
      const formBodies = receiver.received.filter((r) =>
        r.headers["content-type"]?.startsWith("application/x-www-form-urlencoded"),
      );
      expect(jsonBodies).toHaveLength(2);
      expect(formBodies).toHaveLength(2);
      // The form variant: read as PHP reads it (brackets make arrays, which are not signed); every value is text,
      // so the documented algorithm applies as written.
      for (const r of formBodies) {
        const fields = qs.parse(r.body) as Record<string, unknown>;
        expect(fields.sign).toBe(referenceSign(fields, "merchant-own-secret-1"));
      }
      expect(qs.parse(formBodies[1]?.body ?? "")).toMatchObject({
        status: "success",
        transaction_id: pending.transaction_id,
        amount: "250", // as PHP writes the float 250.00
      });
      // The JSON variant goes through a SkinsBack handler (the console's own receiver, held to the vectors of docs/skinsback-protocol.md#signature),
      // configured with the project's credentials: both are stored as verified changes.
      for (const r of jsonBodies) {
        const response = await receiveSkinsbackWebhook(
          { getDb: async () => merchant.handle.db, credentials: TEST_CREDENTIALS },
          new Request("http://127.0.0.1/hook", { method: "POST", headers: r.headers, body: r.body }),
        );
        expect(response.status, await response.clone().text()).toBe(200);
        expect(response.headers.get("x-outcome")).toBe("applied");
      }
      const [stored] = await merchant.handle.db
        .select()
        .from(deposits)
        .where(eq(deposits.transactionId, pending.transaction_id));
      expect(stored).toMatchObject({ status: "success", amount: "250", orderId: pending.order_id });
      // The money changed between the statuses, so the change was flagged; a flag has no SkinsBack notification,
      // and the drop-in endpoints get statuses only.
      const [flagged] = rowsOf<{ n: number }>(
        await bed.database.handle.db.execute(
          sql`select count(*)::int as n from deposit_changes where transaction_id = ${pending.transaction_id} and type = 'deposit.flagged'`,
        ),
      );
      expect(flagged?.n).toBe(1);
      const [flags] = rowsOf<{ n: number }>(
        await bed.database.handle.db.execute(
          sql`select count(*)::int as n from forward_messages where endpoint_id in (${json.endpoint.id}, ${form.endpoint.id}) and type = 'deposit.flagged'`,
        ),
      );
      expect(flags?.n).toBe(0);
      // The message page: its `sign` is a valid SkinsBack signature, so only an admin sees it.
      for (const endpointId of [json.endpoint.id, form.endpoint.id]) {
        const [sent] = rowsOf<{ id: number }>(
          await bed.database.handle.db.execute(
            sql`select id from forward_messages where endpoint_id = ${endpointId} order by id limit 1`,
          ),
        );
        const id = Number(sent?.id);
        const viewer = await getMessage(bed.database.handle.db, id, TEST_CREDENTIALS, {
          revealSignature: false,
        });
        const admin = await getMessage(bed.database.handle.db, id, TEST_CREDENTIALS, {
          revealSignature: true,
        });
        expect(viewer.body).toMatch(/sign("?[:=]"?)(%5B|\[)redacted/);
        expect(viewer.body).not.toMatch(/[0-9a-f]{40}/);
        expect(admin.body).toMatch(/[0-9a-f]{40}/);
      }
    } finally {
      await receiver.close();
    }
  });
});
