import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { webhookRejectionCounts } from "@/lib/db/schema";
import { PEER_ADDRESS_HEADER } from "@/lib/http/client-address";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { storedDeliveries } from "@/lib/testing/inspect";
import { notificationRequest, rawRequest, sampleNotification } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";
import { DETAILED_PER_ADDRESS_PER_MINUTE, REJECTED_BODY_KEEP_BYTES } from "./rejected-requests";

describe.each(TEST_DATABASE_KINDS)("rejected requests cannot fill the disk, on %s", (kind) => {
  const bed = useWebhookTestbed(kind);

  it("a flood of junk from one address: every request counted, only the first few kept, each capped at 4 KB", async () => {
    const db = bed.database.handle.db;
    // 60 KB of junk with a forged sign: under the 64 KB limit, so it is read whole and refused 401.
    const junk = JSON.stringify({
      transaction_id: "1",
      status: "success",
      sign: "0".repeat(40),
      pad: "x".repeat(60_000),
    });
    const sent = 50;
    for (let i = 0; i < sent; i++) {
      const response = await bed.receive(
        rawRequest(junk, "application/json", {
          [PEER_ADDRESS_HEADER]: "198.51.100.66",
          "x-forwarded-for": `10.9.9.${i}`,
        }),
      );
      expect(response.status).toBe(401);
    }
    const rows = (await storedDeliveries(db)).filter((d) => d.remoteAddress === "198.51.100.66");
    expect(rows).toHaveLength(DETAILED_PER_ADDRESS_PER_MINUTE);
    for (const row of rows) {
      expect(row.outcome).toBe("bad_signature");
      expect(row.rawBody.byteLength).toBe(REJECTED_BODY_KEEP_BYTES);
      expect(row.bodyBytes).toBe(Buffer.byteLength(junk));
      expect(row.bodySha256).toBe(createHash("sha256").update(junk).digest("hex"));
    }
    const [counted] = await db
      .select()
      .from(webhookRejectionCounts)
      .where(eq(webhookRejectionCounts.scope, "address:198.51.100.66"));
    expect(counted?.requests).toBe(sent);
    expect(counted?.bytes).toBe(sent * Buffer.byteLength(junk));

    // Another address still gets its own detailed rows: one noisy sender does not blind the log.
    const other = await bed.receive(
      rawRequest("not json", "application/json", { [PEER_ADDRESS_HEADER]: "203.0.113.5" }),
    );
    expect(other.status).toBe(400);
    expect((await storedDeliveries(db)).filter((d) => d.remoteAddress === "203.0.113.5")).toHaveLength(1);
  });

  it("accepted notifications keep their whole body and its hash", async () => {
    const n = sampleNotification();
    const request = notificationRequest(n);
    const body = await request.clone().text();
    expect((await bed.receive(request)).status).toBe(200);
    const [row] = await storedDeliveries(bed.database.handle.db, n.transaction_id);
    expect(Buffer.from(row?.rawBody ?? []).toString()).toBe(body);
    expect(row?.bodySha256).toBe(createHash("sha256").update(body).digest("hex"));
  });
});
