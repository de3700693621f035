import { describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { countDeposits, storedDeliveries, storedDeposit, storedEvents } from "@/lib/testing/inspect";
import { notificationRequest, rawRequest, sampleNotification } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";

describe.each(TEST_DATABASE_KINDS)("hostile text and changing money on %s", (kind) => {
  const bed = useWebhookTestbed(kind);

  const cases: [string, () => Request][] = [
    [
      "NUL in a signed JSON string",
      () => notificationRequest(sampleNotification({ order_id: "ord\u0000x" })),
    ],
    ["NUL in a signed JSON key", () => notificationRequest({ ...sampleNotification(), "k\u0000": "v" })],
    [
      "NUL deep in the unsigned user_risk block",
      () =>
        notificationRequest(
          sampleNotification({
            status: "in_hold",
            user_risk: { joined_at: "2024-01-01\u0000", total_deposits_count: 3 },
          }),
        ),
    ],
    [
      "NUL in a form field (%00)",
      () => notificationRequest(sampleNotification({ order_id: "a\u0000b" }), { encoding: "form" }),
    ],
    [
      "a lone surrogate in a signed string",
      () => notificationRequest(sampleNotification({ order_id: "ord\ud800" })),
    ],
    [
      "NUL in an unsigned body's transaction_id",
      () => rawRequest(JSON.stringify({ transaction_id: "7\u00007", status: "success", sign: "x" })),
    ],
  ];

  for (const [name, request] of cases) {
    it(`${name} → 400, recorded, nothing applied`, async () => {
      const db = bed.database.handle.db;
      const depositsBefore = await countDeposits(db);
      const deliveriesBefore = (await storedDeliveries(db)).length;
      const response = await bed.receive(request());
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/NUL character or invalid Unicode/);
      expect(await countDeposits(db)).toBe(depositsBefore);
      const deliveries = await storedDeliveries(db);
      expect(deliveries).toHaveLength(deliveriesBefore + 1);
      const last = deliveries.at(-1);
      expect(last).toMatchObject({ outcome: "invalid_payload", httpStatus: 400 });
      expect(last?.rawBody.byteLength).toBeGreaterThan(0);
    });
  }

  it("money that changes between statuses is applied but flags the deposit with both values", async () => {
    const db = bed.database.handle.db;
    const held = sampleNotification({ status: "in_hold", amount: "121.50", user_amount: "243" });
    expect((await bed.receive(notificationRequest(held))).status).toBe(200);
    const settled = { ...held, status: "success" as const, amount: "5000.00", user_amount: "243.00" };
    const response = await bed.receive(notificationRequest(settled));
    expect(response.headers.get("x-outcome")).toBe("applied");
    const deposit = await storedDeposit(db, held.transaction_id);
    // Numbers arrive as SkinsBack's PHP writes floats: 121.50 as 121.5, 5000.00 as 5000.
    expect(deposit).toMatchObject({ status: "success", amount: "5000" });
    expect(deposit?.anomaly).toBe("money changed from in_hold to success: amount 121.5 → 5000");
    const events = await storedEvents(db, held.transaction_id);
    expect(events.at(-1)).toMatchObject({ outcome: "applied", note: deposit?.anomaly });
  });

  it("the same money written differently (243 and 243.00) is no change", async () => {
    const held = sampleNotification({ status: "in_hold", amount: "10.5", user_amount: "21" });
    await bed.receive(notificationRequest(held));
    await bed.receive(
      notificationRequest({ ...held, status: "success", amount: "10.50", user_amount: "21.00" }),
    );
    expect((await storedDeposit(bed.database.handle.db, held.transaction_id))?.anomaly).toBeNull();
  });
});

describe.each(TEST_DATABASE_KINDS)("signed bodies that could crash or mislead on %s", (kind) => {
  const bed = useWebhookTestbed(kind);

  /** Posts `request`; asserts a recorded 4xx naming `field`, and that no deposit changed. */
  async function refusedAndRecorded(request: Request, status: number, field: RegExp) {
    const db = bed.database.handle.db;
    const depositsBefore = await countDeposits(db);
    const deliveriesBefore = (await storedDeliveries(db)).length;
    const response = await bed.receive(request);
    expect(response.status).toBe(status);
    expect((await response.json()).error).toMatch(field);
    expect(await countDeposits(db)).toBe(depositsBefore);
    const deliveries = await storedDeliveries(db);
    expect(deliveries).toHaveLength(deliveriesBefore + 1);
    expect(deliveries.at(-1)).toMatchObject({ outcome: "invalid_payload", httpStatus: status });
  }

  it("a valid signed body with thousands of nested brackets in an unsigned block: 400, recorded", async () => {
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    const request = notificationRequest(sampleNotification({ status: "in_hold" }), {
      mutate: (fields) => {
        fields.user_risk = "__DEEP__";
      },
    });
    const body = (await request.text()).replace('"__DEEP__"', deep);
    await refusedAndRecorded(
      new Request(request.url, { method: "POST", headers: request.headers, body }),
      400,
      /nested deeper than 16 levels/,
    );
  });

  const bounds: [string, Parameters<typeof sampleNotification>[0], RegExp][] = [
    ["a negative amount", { amount: "-50.00" }, /amount: must be an amount from 0/],
    ["a 24-digit amount", { amount: "123456789012345678901234" }, /amount: must be an amount from 0/],
    ["a negative user_amount", { user_amount: "-1" }, /user_amount: must be an amount/],
    [
      "a hold ending in the year 5138",
      { status: "in_hold", in_hold_until: 99_999_999_999 },
      /in_hold_until: must be a time between 2015-01-01 and 2100-01-01/,
    ],
    ["a date before 2015", { date: 86_400 }, /date: must be a time between/],
  ];
  for (const [name, overrides, field] of bounds) {
    it(`${name}, signed: 400 naming the field, recorded, nothing stored`, async () => {
      await refusedAndRecorded(notificationRequest(sampleNotification(overrides)), 400, field);
    });
  }
});
