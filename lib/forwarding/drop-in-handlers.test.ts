import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeNotification, signNotification } from "@/lib/skinsback/notification-builder";
import { TEST_CREDENTIALS } from "@/lib/testing/notifications";
import { TEST_EVENT_TYPE } from "./event-types";
import { buildRequest, SKINSBACK_TEST_EVENT_PUBLIC_KEY } from "./message-request";

/**
 * The drop-in format judged by the handlers merchants already run, not by our own verifier: PHP's `json_decode`
 * then a string cast (the real PHP interpreter), and the public JavaScript SDK's way (`JSON.parse`, then the
 * entries sorted, objects skipped, each value through `String`). Every amount shape must verify in both.
 */

const PHP = "/usr/bin/php";

/** The public JS SDK's signer as it runs in a merchant's handler: after JSON.parse, on numbers as numbers. */
function sdkStyleSign(body: string, secret: string): string {
  const params = JSON.parse(body) as Record<string, unknown>;
  const base = Object.entries(params)
    .filter(([key, value]) => key !== "sign" && typeof value !== "object" && value !== undefined)
    .sort()
    .map(([key, value]) => `${key}:${String(value)};`)
    .join("");
  return createHmac("sha1", secret).update(base, "utf8").digest("hex");
}

/** A PHP handler: json_decode, ksort, arrays skipped, every scalar cast to string as PHP casts it. */
const PHP_HANDLER = `
$p = json_decode(stream_get_contents(STDIN), true);
$given = $p['sign']; unset($p['sign']); ksort($p, SORT_STRING);
$base = '';
foreach ($p as $k => $v) { if (is_array($v)) continue; $base .= $k . ':' . (string)$v . ';'; }
echo hash_equals(hash_hmac('sha1', $base, $argv[1]), $given) ? 'ok' : 'bad ' . $base;
`;

function phpVerifies(body: string, secret: string): string {
  return execFileSync(PHP, ["-r", PHP_HANDLER, secret], { input: body, encoding: "utf8" });
}

/** A drop-in endpoint with no secret of its own: it signs with the project's. */
const DROP_IN = {
  format: "skinsback" as const,
  secret: "whsec_unused",
  previousSecret: null,
  previousSecretUntil: null,
  skinsbackSecret: null,
  skinsbackEncoding: "json" as const,
};

const AMOUNTS = [
  "301.20",
  "10.00",
  "0.10",
  "0.05",
  "1000",
  "0",
  "99999.99",
  "123456789012.34",
  "98765432109876.54321",
  "0.00001",
];

describe("the drop-in format in the handlers merchants run", () => {
  it.each(AMOUNTS)("amount %s verifies after JSON.parse (the public SDK's signer) and in PHP", (amount) => {
    const message = {
      id: 7,
      type: "deposit.status_changed",
      createdAt: new Date("2026-01-02T03:04:05Z"),
      data: {
        status: "success",
        transaction_id: "116749989",
        order_id: "ord-000017",
        steam_id: "76561198000000001",
        created_at: "2026-01-02T03:00:00.000Z",
        amount,
        amount_currency: "eur",
        amount_in_currencies: { usd: amount, eur: amount },
        user_amount: amount,
      },
    };
    const { body } = buildRequest(DROP_IN, message, new Date(), TEST_CREDENTIALS);
    const sign = (JSON.parse(body) as { sign: string }).sign;
    expect(sdkStyleSign(body, TEST_CREDENTIALS.clientSecret)).toBe(sign);
    if (existsSync(PHP)) expect(phpVerifies(body, TEST_CREDENTIALS.clientSecret)).toBe("ok");
    // The amount read back is the same value: nothing rounded on the way.
    const readBack = (JSON.parse(body) as { amount: unknown }).amount;
    expect(Number(String(readBack))).toBe(Number(amount));
  });

  it("the sandbox's and webhook:send's notifications verify the same way", () => {
    for (const amount of AMOUNTS) {
      const fields = signNotification(
        {
          status: "in_hold",
          transaction_id: "116750001",
          order_id: "ord-000019",
          amount,
          amount_currency: "usd",
          in_hold_until: 1_764_400_000,
          custom_currency_rate: "1.50",
        },
        "sandbox-secret",
      );
      const { body } = encodeNotification(fields, "json");
      expect(sdkStyleSign(body, "sandbox-secret"), body).toBe(fields.sign);
      if (existsSync(PHP)) expect(phpVerifies(body, "sandbox-secret"), body).toBe("ok");
    }
  });

  it("numbers travel in their shortest form: 301.20 as 301.2, 10.00 as 10; more than 14 digits as a string", () => {
    const { body } = encodeNotification(
      signNotification(
        { status: "success", transaction_id: "1", order_id: "o", amount: "301.20", user_amount: "10.00" },
        "s",
      ),
      "json",
    );
    expect(body).toContain('"amount":301.2,');
    expect(body).toContain('"user_amount":10,');
    const long = encodeNotification(
      signNotification(
        { status: "success", transaction_id: "1", order_id: "o", amount: "98765432109876.54321" },
        "s",
      ),
      "json",
    ).body;
    expect(long).toContain('"amount":"98765432109876.54321"');
  });

  it("a test event is never signed with the project's secret", () => {
    const test = { id: 8, type: TEST_EVENT_TYPE, createdAt: new Date(), data: {} };
    const { body, headers } = buildRequest(DROP_IN, test, new Date(), TEST_CREDENTIALS);
    expect(sdkStyleSign(body, TEST_CREDENTIALS.clientSecret)).not.toBe(JSON.parse(body).sign);
    expect(sdkStyleSign(body, SKINSBACK_TEST_EVENT_PUBLIC_KEY)).toBe(JSON.parse(body).sign);
    expect(headers["x-sign"]).toBeUndefined();
    const own = buildRequest(
      { ...DROP_IN, skinsbackSecret: "merchant-own" },
      test,
      new Date(),
      TEST_CREDENTIALS,
    );
    expect(sdkStyleSign(own.body, "merchant-own")).toBe(JSON.parse(own.body).sign);
  });
});
