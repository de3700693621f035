import { LosslessNumber, stringify as stringifyLosslessJson } from "lossless-json";
import qs from "qs";
import { phpFloatText } from "@/lib/money/decimal";
import type { DepositStatus } from "./deposit-status";
import { hmacSign, phpStringify, signatureBaseString, xSign } from "./signature";
import type { BodyEncoding } from "./signed-message";

/**
 * Builds deposit notifications the way SkinsBack sends them: numbers as JSON numbers in PHP's shortest form
 * (`phpFloatText`: "301.20" travels and is signed as 301.2), nested blocks unsigned, `sign` over the top-level
 * scalars. Used by the forwarding's drop-in format, `npm run webhook:send`, tests and the sandbox.
 */

export type NotificationInput = {
  status: DepositStatus;
  transaction_id: string;
  order_id: string;
  steam_id?: string;
  date?: number;
  amount?: string;
  amount_currency?: string;
  amount_in_currencies?: Record<string, string>;
  user_amount?: string;
  user_amount_in_currencies?: Record<string, string>;
  offer_date?: number;
  in_hold_until?: number;
  trade_offer_id?: string;
  skins_send_date?: number;
  custom_currency?: string;
  custom_currency_rate?: string;
  custom_currency_sum?: string;
  reason?: string;
  user_risk?: Record<string, unknown>;
  [extra: string]: unknown;
};

/** A realistic `user_risk` block (as in_hold notifications carry it), for `webhook:send` and tests. */
export const EXAMPLE_USER_RISK = {
  total_deposits_count: "14",
  total_deposits_sum: "412.80",
  total_rollback_deposits_count: "1",
  total_rollback_deposits_sum: "35.00",
  joined_at: "2021-03-14 10:22:01",
  last_deposit_at: "2026-11-01 18:40:12",
  user_inventory: [{ last_updated_at: "2026-11-20 09:00:00", sum: "1290.44" }],
} as const;

const NUMERIC_FIELDS = new Set([
  "transaction_id",
  "date",
  "amount",
  "user_amount",
  "offer_date",
  "in_hold_until",
  "skins_send_date",
  "custom_currency_rate",
  "custom_currency_sum",
]);

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A number as PHP's json_encode sends it: a whole number as an int, exactly; a decimal as a float in the shortest
 * text that reads back to the same value, so a handler that parses the number and signs its text gets the text we
 * signed. A decimal with no such text (more than 14 significant digits) travels as a JSON string, which every
 * reader signs as it is.
 */
function phpNumber(text: string): LosslessNumber | string {
  // A whole number is a PHP int (exact up to 2^63, as 64-bit ids travel); anything with decimals is a float.
  if (/^-?\d{1,18}$/.test(text)) return new LosslessNumber(text.replace(/^(-?)0+(?=\d)/, "$1"));
  const shortest = phpFloatText(text);
  return shortest === null ? text : new LosslessNumber(shortest);
}

/** Numeric fields travel as JSON numbers, as PHP's json_encode sends them (see `phpNumber`). */
function asWireValue(key: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (NUMERIC_FIELDS.has(key) && PLAIN_NUMBER.test(String(value))) return phpNumber(String(value));
  if (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof LosslessNumber)
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numberLike(v)]));
  }
  return value;
}

function numberLike(value: unknown): unknown {
  if (typeof value === "string" && PLAIN_NUMBER.test(value)) return phpNumber(value);
  if (Array.isArray(value)) return value.map(numberLike);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numberLike(v)]));
  }
  return value;
}

/** A deposit object as SkinsBack's JSON carries it (numbers as numbers), without `sign`: also orderstatus's shape. */
export function toDepositWire(input: NotificationInput): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    const wire = asWireValue(key, value);
    if (wire !== undefined) fields[key] = wire;
  }
  return fields;
}

export function signNotification(input: NotificationInput, secret: string): Record<string, unknown> {
  const fields = toDepositWire(input);
  fields.sign = hmacSign(signatureBaseString(fields, phpStringify), secret);
  return fields;
}

/** Form bodies use PHP bracket notation for nested fields (`amount_in_currencies[usd]=1.31`). */
export function encodeNotification(
  fields: Record<string, unknown>,
  encoding: BodyEncoding,
): {
  body: string;
  contentType: string;
} {
  if (encoding === "json") {
    return { body: stringifyLosslessJson(fields) ?? "{}", contentType: "application/json" };
  }
  return {
    body: qs.stringify(toFormValues(fields), { encodeValuesOnly: true }),
    contentType: "application/x-www-form-urlencoded",
  };
}

/** Form values are text: exact number text from LosslessNumbers, PHP's rendering of booleans. */
function toFormValues(value: unknown): unknown {
  if (value instanceof LosslessNumber) return value.value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (Array.isArray(value)) return value.map(toFormValues);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toFormValues(v)]));
  }
  return value;
}

export function notificationHeaders(
  clientId: string,
  clientSecret: string,
  contentType: string,
  withXSign = true,
): Record<string, string> {
  return {
    "content-type": contentType,
    ...(withXSign ? { "x-sign": xSign(clientId, clientSecret) } : {}),
  };
}
