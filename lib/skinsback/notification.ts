import { isLosslessNumber, stringify as stringifyLossless } from "lossless-json";
import { z } from "zod";
import { zodIssues } from "@/lib/errors/app-error";
import { amountText } from "@/lib/money/amount";
import { DEPOSIT_STATUSES } from "./deposit-status";
import { TRANSACTION_ID_PATTERN } from "./transaction-id";

/**
 * Deposit notifications (the Result URL webhook): their size limit and validation. Bodies are parsed and their
 * sign verified as signed messages (signed-message.ts); the field set is docs/skinsback-protocol.md#notification-fields
 * (the authoritative source).
 */

export const MAX_NOTIFICATION_BYTES = 64 * 1024;

/**
 * Nested values (`user_risk`, the `*_in_currencies` maps, anything else that is an array or an object) are not
 * covered by `sign`: anyone holding one signed body can attach any of them. Real ones are well under 2 KB (a risk
 * block with an inventory per game); each may be at most 8 KB of JSON and all together 16 KB, so one signed body
 * cannot carry 40 KB of junk into storage with every replay of it.
 */
export const MAX_UNSIGNED_BLOCK_BYTES = 8 * 1024;
export const MAX_UNSIGNED_TOTAL_BYTES = 16 * 1024;

/** The unsigned block over its cap, in words; undefined when every one fits. */
export function findOversizedUnsignedBlock(fields: Record<string, unknown>): string | undefined {
  let total = 0;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (typeof value !== "object" || value === null || isLosslessNumber(value)) continue;
    const bytes = Buffer.byteLength(stringifyLossless(value) ?? "", "utf8");
    if (bytes > MAX_UNSIGNED_BLOCK_BYTES) {
      return `${key} is ${bytes} bytes; an unsigned block may be at most ${MAX_UNSIGNED_BLOCK_BYTES}`;
    }
    total += bytes;
  }
  if (total > MAX_UNSIGNED_TOTAL_BYTES) {
    return `the unsigned blocks are ${total} bytes together; at most ${MAX_UNSIGNED_TOTAL_BYTES} are accepted`;
  }
  return undefined;
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

/**
 * Bounds on signed values no merchant could mean (README, "Security": value bounds). The signature proves who sent
 * a value, not that it makes sense: an amount is 0 to 999,999,999,999 with at most 8 decimals (no sign, no
 * exponent), a time falls between 2015-01-01 and 2100-01-01 UTC.
 */
export const EARLIEST_TIME = 1_420_070_400; // 2015-01-01T00:00:00Z
export const LATEST_TIME = 4_102_444_800; // 2100-01-01T00:00:00Z

const signedAmount = amountText();
const signedTime = unixSeconds.refine(
  (text) => Number(text) >= EARLIEST_TIME && Number(text) < LATEST_TIME,
  "must be a time between 2015-01-01 and 2100-01-01 UTC",
);
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

export const transactionIdSchema = z
  .string({ error: "is required" })
  .regex(TRANSACTION_ID_PATTERN, "must be 1-64 letters, digits, - or _");

const amountsByCurrency = z.record(
  z.string().regex(/^[a-z0-9_]{1,16}$/i, "must be a currency code"),
  decimal,
);

/** Validated after storable conversion, so every number here is its exact decimal text. */
export const notificationSchema = z.looseObject({
  sign: z.string().min(1),
  status: z.enum(DEPOSIT_STATUSES, { error: `must be one of ${DEPOSIT_STATUSES.join(", ")}` }),
  transaction_id: transactionIdSchema,
  order_id: z.string({ error: "is required" }).min(1, "is required").max(255),
  steam_id: optional(z.string({ error: "must be a Steam id" }).regex(/^\d{1,20}$/, "must be a Steam id")),
  date: optional(signedTime),
  amount: optional(signedAmount),
  amount_currency: optional(shortText(16)),
  amount_in_currencies: optional(amountsByCurrency),
  user_amount: optional(signedAmount),
  user_amount_in_currencies: optional(amountsByCurrency),
  offer_date: optional(signedTime),
  in_hold_until: optional(signedTime),
  trade_offer_id: optional(shortText(64)),
  skins_send_date: optional(signedTime),
  custom_currency: optional(shortText(32)),
  custom_currency_rate: optional(signedAmount),
  custom_currency_sum: optional(signedAmount),
  reason: optional(shortText(64)),
  user_risk: optional(userRisk),
});

export type DepositNotification = z.infer<typeof notificationSchema>;

/**
 * A deposit's fields as SkinsBack states them, however they reached us: a signed notification, or `orderstatus`
 * read over our own signed API channel (which answers the same fields without a `sign`).
 */
export const depositFieldsSchema = notificationSchema.omit({ sign: true });
export type DepositFields = z.infer<typeof depositFieldsSchema>;

export type NotificationValidation =
  | { ok: true; notification: DepositNotification }
  | { ok: false; errors: string[] };

export function validateNotification(storable: unknown): NotificationValidation {
  const result = notificationSchema.safeParse(storable);
  if (result.success) return { ok: true, notification: result.data };
  return {
    ok: false,
    errors: zodIssues(result.error, "body"),
  };
}
