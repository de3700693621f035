import { isLosslessNumber, parse as parseLosslessJson } from "lossless-json";
import qs from "qs";
import { z } from "zod";
import { DEPOSIT_STATUSES } from "./deposit-status";

/**
 * Deposit notification bodies (the Result URL webhook): parsing in both encodings, and validation.
 * The field set is the notification page in shared/seeds (the authoritative source).
 */

export const MAX_NOTIFICATION_BYTES = 64 * 1024;

export type BodyEncoding = "json" | "form";

/** A parsed body: scalars are strings/booleans/null (JSON numbers kept as their exact text), nested values kept. */
export type NotificationFields = Record<string, unknown>;

export class NotificationPayloadError extends Error {
  override name = "NotificationPayloadError";
}

function chooseEncoding(contentType: string | null, rawBody: string): BodyEncoding {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  // Unknown or missing content type: sniff, as a PHP receiver effectively would.
  return rawBody.trimStart().startsWith("{") ? "json" : "form";
}

/**
 * JSON numbers become their exact source text (never a float), so 17-digit Steam ids and money survive, and the
 * signature is computed over what was sent. Form bodies use PHP bracket notation for nested fields.
 */
export function parseNotificationBody(
  rawBody: string,
  contentType: string | null,
): { encoding: BodyEncoding; fields: NotificationFields } {
  if (rawBody.includes("\u0000")) throw new NotificationPayloadError("body contains NUL characters");
  const encoding = chooseEncoding(contentType, rawBody);
  if (encoding === "json") {
    let parsed: unknown;
    try {
      parsed = parseLosslessJson(rawBody);
    } catch (error) {
      throw new NotificationPayloadError(`body is not valid JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new NotificationPayloadError("JSON body must be an object");
    }
    return { encoding, fields: parsed as NotificationFields };
  }
  const fields = qs.parse(rawBody, {
    depth: 5,
    arrayLimit: 200,
    parameterLimit: 2000,
    allowPrototypes: false,
    plainObjects: true,
  }) as NotificationFields;
  if (Object.keys(fields).length === 0) throw new NotificationPayloadError("body is empty");
  return { encoding, fields };
}

/** JSON-safe copy for storage: exact number text becomes a string; everything else is kept as received. */
export function toStorableFields(value: unknown): unknown {
  if (isLosslessNumber(value)) return value.value;
  if (Array.isArray(value)) return value.map(toStorableFields);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toStorableFields(v);
    return out;
  }
  return value;
}

// --- validation -----------------------------------------------------------------------------------------------

/** PHP senders write an absent optional field as "" or null; both mean "not given". */
const absent = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(absent, schema.optional());

const decimal = z
  .string({ error: "must be a number" })
  .regex(/^-?\d{1,24}(\.\d{1,18})?$/, "must be a plain decimal number");
const unixSeconds = z
  .string({ error: "must be a UNIX time" })
  .regex(/^\d{1,11}$/, "must be a UNIX time in seconds");
const count = z.string({ error: "must be a whole number" }).regex(/^\d{1,18}$/, "must be a whole number");
const shortText = (max: number) => z.string({ error: "must be text" }).min(1).max(max);

const userInventoryEntry = z.looseObject({
  last_updated_at: optional(shortText(64)),
  sum: optional(decimal),
});

/** Unsigned risk block of `in_hold` notifications. Its inventory comes as an array or keyed by game: accept both. */
const userRisk = z.looseObject({
  total_deposits_count: optional(count),
  total_deposits_sum: optional(decimal),
  total_rollback_deposits_count: optional(count),
  total_rollback_deposits_sum: optional(decimal),
  joined_at: optional(shortText(64)),
  last_deposit_at: optional(shortText(64)),
  user_inventory: optional(z.union([z.array(userInventoryEntry), z.record(z.string(), userInventoryEntry)])),
});

const amountsByCurrency = z.record(
  z.string().regex(/^[a-z0-9_]{1,16}$/i, "must be a currency code"),
  decimal,
);

/** Validated after storable conversion, so every number here is its exact decimal text. */
export const notificationSchema = z.looseObject({
  sign: z.string().min(1),
  status: z.enum(DEPOSIT_STATUSES, { error: `must be one of ${DEPOSIT_STATUSES.join(", ")}` }),
  transaction_id: z
    .string({ error: "is required" })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, - or _"),
  order_id: z.string({ error: "is required" }).min(1, "is required").max(255),
  steam_id: optional(z.string({ error: "must be a Steam id" }).regex(/^\d{1,20}$/, "must be a Steam id")),
  date: optional(unixSeconds),
  amount: optional(decimal),
  amount_currency: optional(shortText(16)),
  amount_in_currencies: optional(amountsByCurrency),
  user_amount: optional(decimal),
  user_amount_in_currencies: optional(amountsByCurrency),
  offer_date: optional(unixSeconds),
  in_hold_until: optional(unixSeconds),
  trade_offer_id: optional(shortText(64)),
  skins_send_date: optional(unixSeconds),
  custom_currency: optional(shortText(32)),
  custom_currency_rate: optional(decimal),
  custom_currency_sum: optional(decimal),
  reason: optional(shortText(64)),
  user_risk: optional(userRisk),
});

export type DepositNotification = z.infer<typeof notificationSchema>;

export type NotificationValidation =
  | { ok: true; notification: DepositNotification }
  | { ok: false; errors: string[] };

export function validateNotification(storable: unknown): NotificationValidation {
  const result = notificationSchema.safeParse(storable);
  if (result.success) return { ok: true, notification: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`),
  };
}
