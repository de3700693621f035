import { describe, expect, it } from "vitest";
import { validateNotification } from "./notification";
import { encodeNotification, signNotification } from "./notification-builder";
import { verifySignedMessage } from "./signature";
import { parseSignedMessageBody, SignedMessageBodyError, withExactNumbersAsText } from "./signed-message";

const parseValid = (raw: string, contentType = "application/json") => {
  const { fields } = parseSignedMessageBody(raw, contentType);
  return validateNotification(withExactNumbersAsText(fields));
};

describe("parseSignedMessageBody", () => {
  it("keeps JSON numbers as their exact text: 17-digit Steam ids and money survive", () => {
    const { encoding, fields } = parseSignedMessageBody(
      '{"steam_id":76561198000000001,"amount":121.50,"transaction_id":116749989}',
      "application/json; charset=utf-8",
    );
    expect(encoding).toBe("json");
    expect(withExactNumbersAsText(fields)).toEqual({
      steam_id: "76561198000000001",
      amount: "121.50",
      transaction_id: "116749989",
    });
  });

  it("parses form bodies with PHP bracket keys into nested fields", () => {
    const { encoding, fields } = parseSignedMessageBody(
      "status=in_hold&transaction_id=7&amount_in_currencies%5Busd%5D=1.31&user_risk[user_inventory][0][sum]=5.10",
      "application/x-www-form-urlencoded",
    );
    expect(encoding).toBe("form");
    expect(fields).toEqual({
      status: "in_hold",
      transaction_id: "7",
      amount_in_currencies: { usd: "1.31" },
      user_risk: { user_inventory: [{ sum: "5.10" }] },
    });
  });

  it("sniffs the encoding when the content type is missing", () => {
    expect(parseSignedMessageBody('{"a":"1"}', null).encoding).toBe("json");
    expect(parseSignedMessageBody("a=1", null).encoding).toBe("form");
  });

  it("rejects broken JSON, non-object JSON, NUL bytes and empty form bodies", () => {
    expect(() => parseSignedMessageBody("{", "application/json")).toThrow(SignedMessageBodyError);
    expect(() => parseSignedMessageBody("[1,2]", "application/json")).toThrow(/must be an object/);
    expect(() => parseSignedMessageBody('{"a":"\u0000"}', "application/json")).toThrow(/NUL/);
    expect(() => parseSignedMessageBody("", "application/x-www-form-urlencoded")).toThrow(/empty/);
  });

  it("a form-encoded notification built by the builder verifies like its JSON twin", () => {
    const fields = signNotification(
      {
        status: "success",
        transaction_id: "99",
        order_id: "o-99",
        amount: "10.00",
        amount_in_currencies: { usd: "10.00" },
        skins: [{ name: "AK-47", price: "10.00" }],
      },
      "secret-1234",
    );
    for (const encoding of ["json", "form"] as const) {
      const { body, contentType } = encodeNotification(fields, encoding);
      const parsed = parseSignedMessageBody(body, contentType);
      expect(verifySignedMessage(parsed.fields, "secret-1234").ok).toBe(true);
      // Numbers travel as PHP writes floats: 10.00 as 10 (lib/forwarding/drop-in-handlers.test.ts).
      expect(withExactNumbersAsText(parsed.fields)).toMatchObject({
        amount: "10",
        amount_in_currencies: { usd: "10" },
      });
    }
  });
});

describe("validateNotification", () => {
  const base = { sign: "x", status: "success", transaction_id: "1", order_id: "o-1" };

  it("accepts every documented field and keeps unknown extras", () => {
    const result = validateNotification({
      ...base,
      steam_id: "76561198000000001",
      date: "1710237634",
      amount: "121.5",
      amount_currency: "rub",
      amount_in_currencies: { usd: "1.31" },
      user_amount: "243",
      user_amount_in_currencies: { usd: "2.62" },
      offer_date: "1710237640",
      in_hold_until: "1710928800",
      trade_offer_id: "7012345678",
      skins_send_date: "1710237700",
      custom_currency: "GEM",
      custom_currency_rate: "0.5",
      custom_currency_sum: "60.75",
      user_risk: {
        total_deposits_count: "3",
        user_inventory: { cs2: { sum: "12.00", last_updated_at: "2026-01-01" } },
      },
      brand_new_field: "kept",
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.notification.brand_new_field).toBe("kept");
  });

  it("treats empty strings and nulls of optional fields as absent", () => {
    const result = validateNotification({ ...base, in_hold_until: "", reason: null, amount: "" });
    expect(result).toMatchObject({ ok: true, notification: { in_hold_until: undefined, amount: undefined } });
  });

  it.each([
    ["no transaction_id", { ...base, transaction_id: undefined }, /transaction_id/],
    ["unknown status", { ...base, status: "refunded" }, /status: must be one of/],
    ["malformed amount", { ...base, amount: "12,50" }, /amount: must be an amount from 0/],
    ["float-like exponent", { ...base, user_amount: "1e5" }, /user_amount/],
    ["boolean amount", { ...base, amount: true }, /amount/],
    ["bad Steam id", { ...base, steam_id: "STEAM_0:1:1" }, /steam_id/],
    ["bad date", { ...base, date: "yesterday" }, /date/],
    [
      "bad risk count",
      { ...base, user_risk: { total_deposits_count: "many" } },
      /user_risk.total_deposits_count/,
    ],
  ])("rejects %s with a message naming the field", (_name, payload, message) => {
    const result = validateNotification(payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join("; ")).toMatch(message);
  });

  it("validates a parsed JSON body end to end", () => {
    expect(parseValid('{"sign":"s","status":"pending","transaction_id":116749989,"order_id":"o"}').ok).toBe(
      true,
    );
  });
});
