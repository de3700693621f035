import { LosslessNumber } from "lossless-json";
import { describe, expect, it } from "vitest";
import {
  eventsWebhookSignature,
  hmacSign,
  jsStringify,
  phpStringify,
  sameHexDigest,
  signatureBaseString,
  signParams,
  verifySignedMessage,
  xSign,
} from "./signature";

// Test vectors of docs/skinsback-protocol.md#signature, verbatim.
const SECRET = "XCvlP45Y2dH2UmHhk";

describe("request signature (the documented vectors)", () => {
  it("V1: the docs' own example, integer order_id", () => {
    const params = { method: "orderstatus", order_id: 1, shopid: "123" };
    expect(signatureBaseString(params, phpStringify)).toBe("method:orderstatus;order_id:1;shopid:123;");
    expect(hmacSign(signatureBaseString(params, jsStringify), "123")).toBe(
      "abee99d476c736102c3d6062807761b6e4d31dd8",
    );
    expect(hmacSign(signatureBaseString(params, phpStringify), "123")).toBe(
      "abee99d476c736102c3d6062807761b6e4d31dd8",
    );
  });

  it("V2: create deposit, all strings, URL signed unencoded", () => {
    const params = {
      method: "create",
      shopid: "1490",
      order_id: "ord-000017",
      steam_id: "76561198000000001",
      trade_token: "AbCd1234",
      currency: "usd",
      min_amount: "10.50",
      max_amount: "250",
      result_url: "https://merchant.example/api/skinsback/webhook?x=1&y=2",
    };
    expect(signatureBaseString(params)).toBe(
      "currency:usd;max_amount:250;method:create;min_amount:10.50;order_id:ord-000017;result_url:https://merchant.example/api/skinsback/webhook?x=1&y=2;shopid:1490;steam_id:76561198000000001;trade_token:AbCd1234;",
    );
    expect(signParams(params, SECRET)).toBe("8d184ba810e70042ad94aef3c425aae9b65a63b2");
  });

  it("V3: arrays and objects are skipped", () => {
    const params = {
      method: "create_from_user_inventory",
      shopid: "1490",
      game: "cs2",
      steam_id: "76561198000000001",
      trade_token: "AbCd1234",
      item_asset_ids: ["36542291810", "36542291811"],
      order_id: "ord-000018",
      meta: { a: 1 },
    };
    expect(signatureBaseString(params)).toBe(
      "game:cs2;method:create_from_user_inventory;order_id:ord-000018;shopid:1490;steam_id:76561198000000001;trade_token:AbCd1234;",
    );
    expect(signParams(params, SECRET)).toBe("1930e6bbfe459c5bccad03377168ebc57d2fddf3");
  });

  it("V4: Unicode values hash their UTF-8 bytes", () => {
    const params = {
      method: "market_buy",
      shopid: "1490",
      partner: "12345678",
      token: "AbCd1234",
      name: "★ Karambit | Doppler (Factory New)",
      game: "cs2",
      max_price: "150.00",
      custom_id: "вывод-42",
    };
    expect(signParams(params, SECRET)).toBe("d916a5f80944554e89dae03f681fb7210ea3a8e0");
  });

  it("V5: where the JS and PHP references diverge, and V5b the safe encoding", () => {
    const params = {
      method: "market_pricelist",
      shopid: 1490,
      game: "cs2",
      full: true,
      extended: false,
      max_price: 0.1 + 0.2,
      note: null,
    };
    expect(signatureBaseString(params, jsStringify)).toBe(
      "extended:false;full:true;game:cs2;max_price:0.30000000000000004;method:market_pricelist;shopid:1490;",
    );
    expect(hmacSign(signatureBaseString(params, jsStringify), SECRET)).toBe(
      "140d802934b5235ca0646610b366c6e0c7528558",
    );
    expect(signatureBaseString(params, phpStringify)).toBe(
      "extended:;full:1;game:cs2;max_price:0.3;method:market_pricelist;note:;shopid:1490;",
    );
    expect(hmacSign(signatureBaseString(params, phpStringify), SECRET)).toBe(
      "e5fa99c6c8c353bdaa3678c66fc53bed228b835f",
    );
    const safe = {
      method: "market_pricelist",
      shopid: "1490",
      game: "cs2",
      full: "1",
      extended: "0",
      max_price: "0.30",
    };
    expect(signParams(safe, SECRET)).toBe("958873d0dbaf74d481b47e867006bef9f4bba9e1");
    expect(hmacSign(signatureBaseString(safe, jsStringify), SECRET)).toBe(
      "958873d0dbaf74d481b47e867006bef9f4bba9e1",
    );
  });

  it("V9: empty value kept, and `_` sorts before lowercase letters", () => {
    const params = {
      method: "orders",
      shopid: "1490",
      starting: "1700000000",
      ending: "1700086400",
      start_from: "",
    };
    expect(signatureBaseString(params)).toBe(
      "ending:1700086400;method:orders;shopid:1490;start_from:;starting:1700000000;",
    );
    expect(signParams(params, SECRET)).toBe("8513f909af6b090fe8519f1a3b672ff1f57a1640");
  });

  it("V10: empty parameter set, and the knaus94 ';' variant", () => {
    expect(signatureBaseString({})).toBe("");
    expect(signParams({}, "s")).toBe("71d58ad26842efdab8a2d541818921d2066afebd");
    expect(hmacSign(";", "s")).toBe("fabd50bf327716021bf7b1c28773a1f552d29503");
  });

  it("signParams ignores non-string scalars, so nothing but the sent strings is ever signed", () => {
    const params = { a: "1", b: 2, c: true, d: null } as never;
    expect(signParams(params, "s")).toBe(hmacSign("a:1;", "s"));
    expect(signParams(params, "s")).toBe(signParams({ a: "1" }, "s"));
  });
});

describe("notification verification (the documented notification vectors)", () => {
  // V6 as received in JSON: numbers are raw JSON number text.
  const v6 = (): Record<string, unknown> => ({
    status: "success",
    transaction_id: new LosslessNumber("116749989"),
    order_id: "ord-000017",
    steam_id: "76561198000000001",
    date: new LosslessNumber("1710237634"),
    amount: new LosslessNumber("121.5"),
    amount_currency: "rub",
    amount_in_currencies: { usd: new LosslessNumber("1.31"), rub: new LosslessNumber("121.5") },
    user_amount: new LosslessNumber("243"),
    user_amount_in_currencies: { usd: new LosslessNumber("2.62") },
    offer_date: new LosslessNumber("1710237640"),
    skins_send_date: new LosslessNumber("1710237700"),
    skins: [{ name: "AK-47 | Redline", price: new LosslessNumber("1.31") }],
    sign: "7aa7a1d92fbd82a2ebed33ec7d6a841272fd048b",
  });

  it("V6: success webhook base string and sign", () => {
    expect(signatureBaseString(v6())).toBe(
      "amount:121.5;amount_currency:rub;date:1710237634;offer_date:1710237640;order_id:ord-000017;skins_send_date:1710237700;status:success;steam_id:76561198000000001;transaction_id:116749989;user_amount:243;",
    );
    expect(verifySignedMessage(v6(), SECRET)).toEqual({ ok: true, variant: "php" });
  });

  it("V6b: in_hold webhook with user_risk, which is not signed", () => {
    const fields = {
      status: "in_hold",
      transaction_id: "116750001",
      order_id: "ord-000019",
      steam_id: "76561198000000001",
      date: "1752784000",
      amount: "7.68",
      amount_currency: "usd",
      user_risk: { total_deposits_count: "3", user_inventory: [{ sum: "10.00" }] },
      sign: "7a167dd75a378804fecc8bfaf8a4d0f1fae2a95e",
    };
    expect(signatureBaseString(fields)).toBe(
      "amount:7.68;amount_currency:usd;date:1752784000;order_id:ord-000019;status:in_hold;steam_id:76561198000000001;transaction_id:116750001;",
    );
    expect(verifySignedMessage(fields, SECRET).ok).toBe(true);
  });

  it("rejects a changed scalar (amount) carrying the original sign", () => {
    const fields = v6();
    fields.amount = new LosslessNumber("1215");
    expect(verifySignedMessage(fields, SECRET)).toEqual({ ok: false, reason: "mismatch" });
    const reformatted = v6();
    reformatted.amount = new LosslessNumber("121.50"); // same number, different text: PHP signed the text it sent
    expect(verifySignedMessage(reformatted, SECRET).ok).toBe(false);
  });

  it("nested fields are excluded: changing them keeps the sign valid (they are unsigned)", () => {
    const fields = v6();
    fields.amount_in_currencies = { usd: "999.99" };
    fields.skins = [];
    fields.user_risk = { total_deposits_count: "0" };
    expect(verifySignedMessage(fields, SECRET).ok).toBe(true);
  });

  it("missing, empty or wrong-secret signs are rejected", () => {
    const { sign: _sign, ...unsigned } = v6();
    expect(verifySignedMessage(unsigned, SECRET)).toEqual({ ok: false, reason: "missing" });
    expect(verifySignedMessage({ ...v6(), sign: "" }, SECRET)).toEqual({ ok: false, reason: "missing" });
    expect(verifySignedMessage(v6(), "another-secret")).toEqual({ ok: false, reason: "mismatch" });
  });

  it("accepts the JS reference's rendering of booleans and nulls, and reports it", () => {
    const fields: Record<string, unknown> = {
      status: "pending",
      transaction_id: "5",
      order_id: "o",
      flag: true,
      note: null,
    };
    fields.sign = hmacSign("flag:true;order_id:o;status:pending;transaction_id:5;", SECRET);
    expect(verifySignedMessage(fields, SECRET)).toEqual({ ok: true, variant: "js" });
    fields.sign = hmacSign("flag:1;note:;order_id:o;status:pending;transaction_id:5;", SECRET);
    expect(verifySignedMessage(fields, SECRET)).toEqual({ ok: true, variant: "php" });
  });
});

describe("X-SIGN and events webhook (V7, V8)", () => {
  it("V7: md5(clientId + secret)", () => {
    expect(xSign("1", "123")).toBe("2cfd4560539f887a5e420412b370b361");
    expect(xSign("1490", SECRET)).toBe("038eb06a389462fcff42d2c71f1fef5c");
  });

  it("V8: HMAC-SHA256 of the raw body", () => {
    expect(
      eventsWebhookSignature('{"event":"balance_change","data":{"balance_value":"758.93"}}', "123"),
    ).toBe("09101bed9edc6a9c6124590f509bb50cc848a8be4e5ed23f002220c098dc9eba");
    expect(
      eventsWebhookSignature(
        '{"event":"status_change","data":{"item":{"id":"2516"},"buy_id":"65","offer_status":"accepted","error_reason":null,"tradeofferid":"4176876858","custom_id":"123456"}}',
        SECRET,
      ),
    ).toBe("d4f7cd58f234cfe8ff6a6164ce6d2ad1bb638982f8b74b7c8deeed90dbc51d2e");
  });

  it("sameHexDigest compares case-insensitively and rejects other lengths", () => {
    expect(sameHexDigest("ABCDEF", "abcdef")).toBe(true);
    expect(sameHexDigest("abcdef", "abcde")).toBe(false);
    expect(sameHexDigest("abcdef", "abcdee")).toBe(false);
  });
});
