import { LosslessNumber } from "lossless-json";
import { describe, expect, it } from "vitest";
import { EXAMPLE_USER_RISK } from "@/lib/skinsback/notification-builder";
import { TEST_DATABASE_KINDS } from "@/lib/testing/databases";
import { countDeposits, storedDeliveries, storedDeposit, storedEvents } from "@/lib/testing/inspect";
import { notificationRequest, rawRequest, sampleNotification } from "@/lib/testing/notifications";
import { useWebhookTestbed } from "@/lib/testing/webhook-testbed";

describe.each(TEST_DATABASE_KINDS)("webhook receiver on %s", (kind) => {
  const bed = useWebhookTestbed(kind);
  const receive = bed.receive;

  it("stores a valid notification with every documented field and answers 200 OK after the commit", async () => {
    const n = sampleNotification({
      status: "in_hold",
      in_hold_until: 1_764_400_000,
      offer_date: 1_763_700_050,
      trade_offer_id: "7012345678",
      custom_currency: "GEM",
      custom_currency_rate: "0.5",
      custom_currency_sum: "60.75",
      user_risk: { ...EXAMPLE_USER_RISK },
      brand_new_field: "kept raw",
    });
    const response = await receive(notificationRequest(n));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("OK");

    const db = bed.database.handle.db;
    const deposit = await storedDeposit(db, n.transaction_id);
    expect(deposit).toMatchObject({
      orderId: n.order_id,
      steamId: "76561198000000001",
      status: "in_hold",
      amountCurrency: "rub",
      amountInCurrencies: { usd: "1.31", rub: "121.5" },
      userAmountInCurrencies: { usd: "2.62", rub: "243" },
      customCurrency: "GEM",
      tradeOfferId: "7012345678",
      inHoldUntil: new Date(1_764_400_000_000),
      offerCreatedAt: new Date(1_763_700_050_000),
      skinsSentAt: new Date(1_763_700_100_000),
      createdAt: new Date(1_763_700_000_000),
      anomaly: null,
    });
    // numeric columns round-trip as exact decimal strings (as SkinsBack's PHP sends them: 121.50 as 121.5)
    expect([
      deposit?.amount,
      deposit?.userAmount,
      deposit?.customCurrencyRate,
      deposit?.customCurrencySum,
    ]).toEqual(["121.5", "243", "0.5", "60.75"]);
    expect(deposit?.userRisk).toMatchObject({
      total_deposits_sum: "412.8",
      user_inventory: [{ sum: "1290.44", last_updated_at: "2026-11-20 09:00:00" }],
    });

    const events = await storedEvents(db, n.transaction_id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: "applied",
      status: "in_hold",
      source: "webhook",
      previousStatus: null,
    });
    expect(events[0]?.payload).toMatchObject({
      brand_new_field: "kept raw",
      transaction_id: n.transaction_id,
    });

    const [delivery] = await storedDeliveries(db, n.transaction_id);
    expect(delivery).toMatchObject({
      outcome: "applied",
      httpStatus: 200,
      signCheck: "valid",
      signVariant: "php",
      xSignCheck: "valid",
      encoding: "json",
      notificationStatus: "in_hold",
    });
    expect(delivery?.headers["x-sign"]).toBe("[redacted]");
    expect(Buffer.from(delivery?.rawBody ?? []).toString("utf8")).toContain('"brand_new_field":"kept raw"');
    expect(events[0]?.deliveryId).toBe(delivery?.id);
  });

  it("accepts form-encoded notifications with PHP bracket keys", async () => {
    const n = sampleNotification({ status: "fail", reason: "trade_canceled" });
    const response = await receive(notificationRequest(n, { encoding: "form" }));
    expect(response.status).toBe(200);
    const deposit = await storedDeposit(bed.database.handle.db, n.transaction_id);
    expect(deposit).toMatchObject({ status: "fail", failReason: "trade_canceled" });
    const [delivery] = await storedDeliveries(bed.database.handle.db, n.transaction_id);
    expect(delivery?.encoding).toBe("form");
  });

  it("keeps 64-bit ids exact when SkinsBack sends them as JSON numbers", async () => {
    // Neither id survives a float: 9007199254740993 → …992, 76561198000000001 → …000.
    const n = sampleNotification({
      transaction_id: new LosslessNumber("9007199254740993") as never,
      steam_id: new LosslessNumber("76561198000000001") as never,
    });
    const request = notificationRequest(n);
    const body = await request.clone().text();
    expect(body).toContain('"steam_id":76561198000000001');
    expect(body).toContain('"transaction_id":9007199254740993');
    expect((await receive(request)).status).toBe(200);
    const deposit = await storedDeposit(bed.database.handle.db, "9007199254740993");
    expect(deposit?.steamId).toBe("76561198000000001");
    expect(deposit?.transactionId).toBe("9007199254740993");
  });

  describe("rejections: answered with a clear error, recorded, and no deposit state touched", () => {
    const cases: [string, () => Request, number, string, RegExp][] = [
      [
        "wrong sign",
        () =>
          notificationRequest(sampleNotification({ transaction_id: "r-1" }), { secret: "not-the-secret" }),
        401,
        "bad_signature",
        /sign does not match/,
      ],
      [
        "missing sign",
        () =>
          notificationRequest(sampleNotification({ transaction_id: "r-2" }), {
            mutate: (f) => {
              delete f.sign;
            },
          }),
        401,
        "bad_signature",
        /sign is missing/,
      ],
      [
        "changed amount with the original sign",
        () =>
          notificationRequest(sampleNotification({ transaction_id: "r-3" }), {
            mutate: (f) => {
              f.amount = "999999";
            },
          }),
        401,
        "bad_signature",
        /sign does not match/,
      ],
      [
        "wrong X-SIGN header",
        () => notificationRequest(sampleNotification({ transaction_id: "r-4" }), { xSign: "0".repeat(32) }),
        401,
        "bad_signature",
        /X-SIGN/,
      ],
      [
        "unknown status (validly signed)",
        () =>
          notificationRequest({
            ...sampleNotification({ transaction_id: "r-5" }),
            status: "refunded" as never,
          }),
        400,
        "invalid_payload",
        /status: must be one of/,
      ],
      [
        "malformed amount (validly signed)",
        () => notificationRequest(sampleNotification({ transaction_id: "r-6", amount: "12,50" })),
        400,
        "invalid_payload",
        /amount: must be an amount from 0/,
      ],
      ["unparseable JSON", () => rawRequest('{"status":'), 400, "invalid_payload", /not valid JSON/],
      [
        "invalid UTF-8",
        () => rawRequest(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
        400,
        "invalid_payload",
        /UTF-8/,
      ],
      [
        "body over 64 KB",
        () => rawRequest(JSON.stringify({ status: "success", pad: "x".repeat(70_000) })),
        413,
        "too_large",
        /limit is 65536/,
      ],
    ];

    for (const [name, makeRequest, status, outcome, message] of cases) {
      it(`${name} → ${status}`, async () => {
        const db = bed.database.handle.db;
        const depositsBefore = await countDeposits(db);
        const deliveriesBefore = (await storedDeliveries(db)).length;
        const response = await receive(makeRequest());
        expect(response.status).toBe(status);
        expect((await response.json()).error).toMatch(message);
        expect(await countDeposits(db)).toBe(depositsBefore);
        const deliveries = await storedDeliveries(db);
        expect(deliveries).toHaveLength(deliveriesBefore + 1);
        expect(deliveries.at(-1)).toMatchObject({ httpStatus: status, outcome });
        expect(deliveries.at(-1)?.error).toMatch(message);
      });
    }

    it("a valid signature without transaction_id → 400 naming the field", async () => {
      const { transaction_id: _omit, ...rest } = sampleNotification();
      const response = await receive(notificationRequest(rest as never));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/transaction_id/);
    });

    it("a rejected notification for a known deposit does not change it", async () => {
      const n = sampleNotification({ status: "pending" });
      await receive(notificationRequest(n));
      const forged = { ...n, status: "success" as const, amount: "5000" };
      expect((await receive(notificationRequest(forged, { secret: "attacker" }))).status).toBe(401);
      expect((await storedDeposit(bed.database.handle.db, n.transaction_id))?.status).toBe("pending");
      const deliveries = await storedDeliveries(bed.database.handle.db, n.transaction_id);
      expect(deliveries.map((d) => d.outcome)).toEqual(["applied", "bad_signature"]);
    });
  });

  it("repeats are duplicates, older statuses stale, contradicting finals conflicts — all answered 200", async () => {
    const db = bed.database.handle.db;
    const n = sampleNotification({ status: "success" });
    const send = async (status: "pending" | "success" | "fail", extra = {}) => {
      const response = await receive(notificationRequest({ ...n, status, ...extra }));
      return [response.status, response.headers.get("x-outcome")];
    };
    expect(await send("success")).toEqual([200, "applied"]);
    expect(await send("success")).toEqual([200, "duplicate"]);
    expect(await send("pending")).toEqual([200, "stale"]);
    expect(await send("fail", { reason: "timeout" })).toEqual([200, "conflict"]);
    expect(await send("success", { amount: "1.00" })).toEqual([200, "conflict"]);

    const deposit = await storedDeposit(db, n.transaction_id);
    expect(deposit?.status).toBe("success");
    expect(deposit?.amount).toBe("121.5");
    expect(deposit?.anomaly).toMatch(/different money: amount 121.5 → 1/);
    const events = await storedEvents(db, n.transaction_id);
    expect(events.map((e) => e.outcome)).toEqual(["applied", "duplicate", "stale", "conflict", "conflict"]);
  });

  it("a later status keeps fields that its notification omits (hold_returned keeps the hold's amounts)", async () => {
    const n = sampleNotification({ status: "in_hold", user_risk: { total_deposits_count: "2" } });
    await receive(notificationRequest(n));
    await receive(notificationRequest({ ...n, status: "hold_approved" }));
    const {
      amount: _a,
      amount_currency: _c,
      amount_in_currencies: _i,
      user_amount: _u,
      user_amount_in_currencies: _ui,
      ...bare
    } = n;
    await receive(notificationRequest({ ...bare, status: "hold_returned", user_risk: undefined }));
    const deposit = await storedDeposit(bed.database.handle.db, n.transaction_id);
    expect(deposit).toMatchObject({
      status: "hold_returned",
      amount: "121.5",
      userRisk: { total_deposits_count: "2" },
    });
  });
});
