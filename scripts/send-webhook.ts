/**
 * Sends a correctly signed deposit notification to a running console, so a person can try it without SkinsBack.
 *
 *   npm run webhook:send -- --status success --transaction-id 1 --amount 12.50 --currency usd
 *   npm run webhook:send -- --status in_hold --transaction-id 2 --risk      (adds a user_risk block)
 *   npm run webhook:send -- --status fail --transaction-id 3 --reason trade_timeout --form
 *
 * Credentials come from SKINSBACK_CLIENT_ID / SKINSBACK_CLIENT_SECRET, else the sandbox pair (as the app does).
 */
import { parseArgs } from "node:util";
import { parseConfig } from "../lib/config";
import { DEPOSIT_STATUSES, type DepositStatus } from "../lib/skinsback/deposit-status";
import {
  EXAMPLE_USER_RISK,
  encodeNotification,
  type NotificationInput,
  notificationHeaders,
  signNotification,
} from "../lib/skinsback/notification-builder";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 3000}/api/webhooks/skinsback` },
    status: { type: "string", default: "success" },
    "transaction-id": { type: "string" },
    "order-id": { type: "string" },
    "steam-id": { type: "string", default: "76561198000000001" },
    amount: { type: "string", default: "12.50" },
    currency: { type: "string", default: "usd" },
    multiplier: { type: "string", default: "1" },
    reason: { type: "string" },
    risk: { type: "boolean", default: false },
    form: { type: "boolean", default: false },
    "no-x-sign": { type: "boolean", default: false },
    "bad-sign": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  console.log(
    "Options: --url --status --transaction-id --order-id --steam-id --amount --currency --multiplier --reason --risk --form --no-x-sign --bad-sign",
  );
  process.exit(0);
}

const status = values.status as DepositStatus;
if (!DEPOSIT_STATUSES.includes(status)) {
  console.error(`--status must be one of ${DEPOSIT_STATUSES.join(", ")}`);
  process.exit(2);
}
if (!/^\d+(\.\d+)?$/.test(values.amount) || !/^\d+(\.\d+)?$/.test(values.multiplier)) {
  console.error("--amount and --multiplier must be plain decimal numbers, e.g. 12.50");
  process.exit(2);
}

const { clientId, clientSecret } = parseConfig(process.env).skinsback;
const transactionId = values["transaction-id"] ?? String(Date.now());
const now = Math.floor(Date.now() / 1000);
const hasMoney = status === "success" || status === "in_hold" || status === "hold_approved";
const userAmount = multiplyDecimal(values.amount, values.multiplier);

const input: NotificationInput = {
  status,
  transaction_id: transactionId,
  order_id: values["order-id"] ?? `order-${transactionId}`,
  steam_id: values["steam-id"],
  date: now - 120,
  offer_date: now - 100,
  trade_offer_id: `70${transactionId.padStart(8, "0")}`,
  ...(hasMoney && {
    amount: values.amount,
    amount_currency: values.currency,
    amount_in_currencies: { [values.currency]: values.amount },
    user_amount: userAmount,
    user_amount_in_currencies: { [values.currency]: userAmount },
    skins_send_date: now - 60,
  }),
  ...(status === "in_hold" && { in_hold_until: now + 8 * 86400 }),
  ...(status === "fail" && { reason: values.reason ?? "timeout" }),
  ...(status === "in_hold" &&
    values.risk && {
      user_risk: { ...EXAMPLE_USER_RISK },
    }),
};

const fields = signNotification(input, clientSecret);
if (values["bad-sign"]) fields.sign = "0".repeat(40);
const { body, contentType } = encodeNotification(fields, values.form ? "form" : "json");

const response = await fetch(values.url, {
  method: "POST",
  headers: notificationHeaders(clientId, clientSecret, contentType, !values["no-x-sign"]),
  body,
});
const answer = await response.text();
console.log(`${response.status} ${answer} (outcome: ${response.headers.get("x-outcome") ?? "—"})`);
console.log(
  `transaction ${transactionId}: ${values.url.replace(/\/api\/webhooks\/skinsback$/, "")}/deposits/${transactionId}`,
);
process.exit(response.ok ? 0 : 1);

/** Exact product of two plain decimals (no floats), at most 8 decimal places kept as given. */
function multiplyDecimal(a: string, b: string): string {
  const scale = (s: string) => (s.split(".")[1] ?? "").length;
  const digits = (s: string) => BigInt(s.replace(".", ""));
  const places = scale(a) + scale(b);
  const product = (digits(a) * digits(b)).toString().padStart(places + 1, "0");
  return places === 0
    ? product
    : `${product.slice(0, -places)}.${product.slice(-places)}`.replace(/\.?0+$/, "");
}
