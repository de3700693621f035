import { createHash, createHmac } from "node:crypto";
import { isLosslessNumber } from "lossless-json";
import { constantTimeEqual } from "@/lib/security/constant-time-equal";

/**
 * SkinsBack request/notification signatures (docs/skinsback-protocol.md#signature).
 * sign = hex HMAC-SHA1(secret, "k1:v1;k2:v2;…") over the top-level scalar keys except `sign`, sorted by code unit.
 * Arrays and objects are not signed at all.
 */

/** How one top-level value becomes text in the signed string; `undefined` drops the key. */
export type Stringifier = (value: unknown) => string | undefined;

/** Our own client: the wire map holds strings only, so signing is unambiguous. */
const stringsOnly: Stringifier = (value) => (typeof value === "string" ? value : undefined);

/**
 * The PHP reference (SkinsBack's side is PHP): null and false become "", true becomes "1", floats use PHP's
 * 14-significant-digit cast. Raw JSON number text (a LosslessNumber) is used exactly as received.
 */
export const phpStringify: Stringifier = (value) => {
  if (value === null) return "";
  if (typeof value === "boolean") return value ? "1" : "";
  if (typeof value === "string") return value;
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(14)));
  if (typeof value === "bigint") return value.toString();
  if (isLosslessNumber(value)) return value.value;
  return undefined; // arrays and objects
};

/** The docs' JavaScript reference and the public JS SDKs: nulls skipped, booleans as "true"/"false". */
export const jsStringify: Stringifier = (value) => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "bigint")
    return String(value);
  if (typeof value === "string") return value;
  if (isLosslessNumber(value)) return value.value;
  return undefined;
};

export function signatureBaseString(
  params: Record<string, unknown>,
  stringify: Stringifier = phpStringify,
): string {
  let base = "";
  // Default sort compares UTF-16 code units, which equals byte order for SkinsBack's ASCII keys.
  for (const key of Object.keys(params).sort()) {
    if (key === "sign") continue;
    const text = stringify(params[key]);
    if (text !== undefined) base += `${key}:${text};`;
  }
  return base;
}

/**
 * One signed string, one reading. The base string joins `key:value;` with no escaping, so a value holding `;`
 * (or a key holding `:` or `;`) lets the same signed text be split into other fields: an `order_id` of
 * `A;status:success;transaction_id:<victim>;zz:` signed as `pending` reads, cut differently, as a `success` of
 * another deposit. With keys limited to `[A-Za-z0-9_]` and no `;` in any value, the string splits one way only
 * (at each `;`, then at the first `:`), so a valid `sign` vouches for exactly the fields we read.
 */
export const SIGNED_KEY = /^[A-Za-z0-9_]+$/;

/** The first signed field that makes the base string ambiguous, in words; undefined when there is none. */
export function findAmbiguousSignedField(params: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(params)) {
    if (key === "sign") continue;
    // Both stringifications sign a superset of what the other does only for null and booleans; check either's.
    const text = phpStringify(params[key]) ?? jsStringify(params[key]);
    if (text === undefined) continue; // arrays and objects are not signed
    if (!SIGNED_KEY.test(key)) {
      return `the signed key ${JSON.stringify(key.slice(0, 64))} holds characters other than letters, digits and _`;
    }
    if (text.includes(";"))
      return `${key} contains ";", which would let its signature be read as other fields`;
  }
  return undefined;
}

export function hmacSign(base: string, secret: string): string {
  return createHmac("sha1", secret).update(base, "utf8").digest("hex");
}

/** Signs a request map of strings (our client never sends other scalar types). */
export function signParams(
  params: Record<string, string | readonly unknown[] | object>,
  secret: string,
): string {
  return hmacSign(signatureBaseString(params, stringsOnly), secret);
}

/** X-SIGN header value and the websocket signature: md5(clientId + clientSecret). */
export function xSign(clientId: string, clientSecret: string): string {
  return createHash("md5")
    .update(clientId + clientSecret, "utf8")
    .digest("hex");
}

/** Constant-time comparison of two hex digests, whatever their letter case. */
export function sameHexDigest(a: string, b: string): boolean {
  return constantTimeEqual(a.toLowerCase(), b.toLowerCase());
}

export type SignVerdict = { ok: true; variant: "php" | "js" } | { ok: false; reason: "missing" | "mismatch" };

/**
 * Verifies the `sign` of a signed message: a notification we receive, or (in the sandbox) an API request. The PHP stringification is authoritative; the JS reference's
 * variant is accepted too and reported, so an operator can see which one a sender used.
 */
export function verifySignedMessage(fields: Record<string, unknown>, secret: string): SignVerdict {
  const received = fields.sign;
  if (typeof received !== "string" || received.length === 0) return { ok: false, reason: "missing" };
  if (sameHexDigest(hmacSign(signatureBaseString(fields, phpStringify), secret), received)) {
    return { ok: true, variant: "php" };
  }
  if (sameHexDigest(hmacSign(signatureBaseString(fields, jsStringify), secret), received)) {
    return { ok: true, variant: "js" };
  }
  return { ok: false, reason: "mismatch" };
}

/** Events webhooks (market/balance): hex HMAC-SHA256 of the raw body bytes (docs/skinsback-protocol.md#events-signature). */
export function eventsWebhookSignature(rawBody: string | Uint8Array, clientSecret: string): string {
  return createHmac("sha256", clientSecret).update(rawBody).digest("hex");
}
