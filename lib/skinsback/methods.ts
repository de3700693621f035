import { z } from "zod";
import { amountText } from "@/lib/money/amount";
import { DEPOSIT_STATUSES } from "./deposit-status";
import { transactionIdSchema } from "./notification";

/**
 * Every SkinsBack API method we use (docs/skinsback-protocol.md#methods): its parameters (as sent: strings only, so what is
 * signed is exactly what is sent), its response (numbers arrive as exact text through the lossless parser), and
 * its method-specific error codes (codes are reused with different meanings per method).
 */

// --- parameter building blocks: the wire format is strings --------------------------------------------------

/** A deposit id: the one schema the receiver, the filters and the routes use. */
const id = transactionIdSchema;
/**
 * Free text we sign (an order id, a custom id, an item name): never `;` or `:`, the base string's separators
 * (signature.ts, findAmbiguousSignedField) — so the console never asks SkinsBack to sign a deposit whose
 * notifications could be read as other fields.
 */
const signedText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((v) => !v.includes(";") && !v.includes(":"), 'must not contain ";" or ":"');
const orderId = signedText(1, 255);
const steamId = z.string().regex(/^\d{17}$/, "must be a 17-digit Steam id");
const money = amountText('must be a decimal amount as a string, e.g. "10.50"');
const unix = z.string().regex(/^\d{1,11}$/, "must be a UNIX time in seconds, as a string");
const cursor = z.string().regex(/^\d{0,20}$/, "must be the start_from value of the previous page");
/** `csgo` is what public SDKs still send for CS2; SkinsBack takes both (docs/skinsback-protocol.md#game-codes). */
const game = z.enum(["cs2", "csgo", "dota2", "rust"]);
const flag = z.enum(["1", "0"], { error: 'must be "1" or "0"' });
const currency = z.string().regex(/^[a-z]{3,4}$/, "must be a lowercase currency code, e.g. usd");
const tradeToken = z.string().regex(/^[A-Za-z0-9_-]{6,16}$/, "must be the token of the user's trade URL");
/** Where SkinsBack sends the player or its notifications: an absolute http(s) URL, no `;` (it is signed). */
const url = z
  .url({ protocol: /^https?$/, error: "must be an absolute http or https URL" })
  .max(2048, "must be at most 2,048 characters")
  .refine((v) => !v.includes(";"), 'must not contain ";"');

const oneDepositRef = z
  .strictObject({ transaction_id: id.optional(), order_id: orderId.optional() })
  .refine((p) => (p.transaction_id === undefined) !== (p.order_id === undefined), {
    message: "give exactly one of transaction_id or order_id",
  });

const timeWindow = z
  .strictObject({ starting: unix, ending: unix, start_from: cursor.optional() })
  // Zod runs this even when a field above failed: only compare what parsed as digits.
  .refine((p) => !/^\d+$/.test(`${p.starting}${p.ending}`) || BigInt(p.starting) <= BigInt(p.ending), {
    message: "starting must not be after ending",
  });

// --- response building blocks: exact text for numbers --------------------------------------------------------

const text = z.string();
const numberText = z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, "must be a number");
const intText = z.string().regex(/^-?\d+$/, "must be a whole number");
const bool = z.union([z.boolean(), z.enum(["0", "1"]).transform((v) => v === "1")]);
const amounts = z.record(z.string(), numberText);

/** The deposit object of orderstatus and orders (docs/skinsback-protocol.md#notification-fields). Absent optional values may arrive as "" or null. */
export const depositObjectSchema = z.looseObject({
  status: z.enum(DEPOSIT_STATUSES),
  transaction_id: intText.or(text),
  order_id: text,
  steam_id: text.nullish(),
  date: intText.nullish(),
  amount: numberText.nullish(),
  amount_currency: text.nullish(),
  amount_in_currencies: amounts.nullish(),
  user_amount: numberText.nullish(),
  user_amount_in_currencies: amounts.nullish(),
  offer_date: intText.nullish(),
  in_hold_until: intText.nullish(),
  trade_offer_id: text.nullish(),
  skins_send_date: intText.nullish(),
  reason: text.nullish(),
  user_risk: z.looseObject({}).nullish(),
});

const marketItem = z.looseObject({
  id: intText.or(text),
  name: text,
  price: numberText,
  classid: text.nullish(),
});
const purchase = z.looseObject({
  item: marketItem,
  buy_id: intText,
  offer_status: text,
  balance_debited_sum: numberText.nullish(),
  custom_id: text.nullish(),
  steamid: text.nullish(),
  date: intText.nullish(),
  tradeofferid: text.nullish(),
});
const page = <T extends z.ZodType>(item: T) =>
  z.looseObject({
    total_count: intText,
    has_more: bool,
    start_from: intText.nullish(),
    items: z.array(item),
  });

// --- the catalogue -----------------------------------------------------------------------------------------

/** read: safe to retry; write: moves money or creates things, never retried blindly. */
export type MethodKind = "read" | "write";

type MethodSpec = {
  kind: MethodKind;
  params: z.ZodType<Record<string, unknown>>;
  response: z.ZodType;
  /** Method-specific error codes (positive) → error_message, from the docs and SDKs. */
  errors: Record<number, string>;
};

const depositRefErrors = {
  1: "order_id_or_transaction_id_missing",
  2: "invalid_order_id",
  3: "invalid_transaction_id",
  4: "transaction_not_found",
};
const marketBuyErrors = {
  1: "missing_name_and_id",
  2: "name_min_length_3",
  3: "missing_partner_or_token",
  4: "insufficient_funds",
  5: "skin_unavailable",
  6: "skins_not_found_at_specified_price",
  7: "custom_id_already_exists",
};

export const METHODS = {
  create: {
    kind: "write",
    params: z
      .strictObject({
        order_id: orderId,
        steam_id: steamId.optional(),
        trade_token: tradeToken.optional(),
        result_url: url.optional(),
        fail_url: url.optional(),
        success_url: url.optional(),
        min_amount: money.optional(),
        max_amount: money.optional(),
        currency: currency.optional(),
      })
      .refine((p) => (p.min_amount === undefined && p.max_amount === undefined) || p.currency !== undefined, {
        message: "min_amount and max_amount require currency",
      }),
    response: z.looseObject({ url: text, transaction_id: intText.or(text) }),
    errors: {
      1: "invalid_order_id",
      2: "invalid_steam_id",
      3: "invalid_trade_token",
      4: "min_amount_requires_currency",
      5: "order_id_already_exists",
      7: "invalid_max_amount",
      8: "invalid_currency",
    },
  },
  orderstatus: {
    kind: "read",
    params: oneDepositRef,
    response: depositObjectSchema,
    errors: depositRefErrors,
  },
  orders: {
    kind: "read",
    params: timeWindow,
    response: page(depositObjectSchema),
    errors: { 1: "missing_starting_or_ending" },
  },
  offer_approve: {
    kind: "write",
    params: oneDepositRef,
    response: z.looseObject({}),
    errors: { ...depositRefErrors, 5: "offer_already_approved_or_canceled" },
  },
  callback_error_list: {
    kind: "read",
    params: z.strictObject({ start_from: cursor.optional() }),
    response: page(z.looseObject({ transaction_id: intText.or(text), order_id: text, http_code: text })),
    errors: {},
  },
  user_inventory: {
    kind: "read",
    params: z.strictObject({
      game,
      steam_id: steamId,
      trade_token: tradeToken,
      currency: currency.optional(),
      custom_multiplier: money.optional(),
      custom_currency: signedText(1, 4).optional(),
      custom_currency_rate: money.optional(),
    }),
    response: z.looseObject({
      data: z.looseObject({
        currency_local: text.nullish(),
        items: z.array(
          z.looseObject({
            asset_id: text,
            name: text,
            price: numberText,
            price_local: numberText.nullish(),
            multiplied_price_local: numberText.nullish(),
            tradable: bool.nullish(),
            disabled: bool.nullish(),
          }),
        ),
      }),
    }),
    errors: { 1: "invalid_game", 2: "invalid_steam_id", 3: "invalid_trade_token", 4: "inventory_private" },
  },
  create_from_user_inventory: {
    kind: "write",
    params: z.strictObject({
      game,
      steam_id: steamId,
      trade_token: tradeToken,
      item_asset_ids: z
        .array(z.string().regex(/^\d{1,20}$/))
        .min(1)
        .max(200),
      order_id: orderId,
      currency: currency.optional(),
      result_url: url.optional(),
    }),
    response: z.looseObject({
      data: z.looseObject({
        transaction_id: intText.or(text),
        sum: numberText,
        local_sum: numberText.nullish(),
        local_sum_multiplied: numberText.nullish(),
        local_currency: text.nullish(),
        trade_offer_id: text.nullish(),
        trade_offer_expiry_at: text.nullish(),
        bot_steam_id: text.nullish(),
        bot_name: text.nullish(),
      }),
    }),
    errors: {
      1: "invalid_game",
      2: "invalid_steam_id",
      3: "invalid_trade_token",
      4: "items_not_found",
      5: "deposit_amount_less_minimum",
      7: "order_id_already_exists",
    },
  },
  market_pricelist: {
    kind: "read",
    params: z.strictObject({ game, full: flag.optional(), extended: flag.optional() }),
    response: z.looseObject({
      last_update: intText.or(text).nullish(),
      items: z.array(
        z.looseObject({ name: text, price: numberText, classid: text.nullish(), count: intText.nullish() }),
      ),
    }),
    errors: {},
  },
  market_search: {
    kind: "read",
    params: z
      .strictObject({
        game,
        name: signedText(0, 255).optional(),
        names: z.array(z.string().min(3)).max(100).optional(),
      })
      .refine((p) => p.name !== undefined || p.names !== undefined, { message: "give name or names" }),
    response: z.looseObject({ items: z.array(marketItem) }),
    errors: { 1: "name_or_names_required", 2: "name_min_length_3" },
  },
  market_buy: {
    kind: "write",
    params: z
      .strictObject({
        partner: z.string().regex(/^\d{1,12}$/, "must be the partner number of the user's trade URL"),
        token: tradeToken,
        name: signedText(3, 255).optional(),
        game: game.optional(),
        id: z
          .string()
          .regex(/^\d{1,20}$/)
          .optional(),
        max_price: money.optional(),
        custom_id: signedText(1, 64).optional(),
      })
      .refine((p) => p.id !== undefined || (p.name !== undefined && p.game !== undefined), {
        message: "give id, or name and game",
      }),
    response: purchase,
    errors: marketBuyErrors,
  },
  market_batch_buy: {
    kind: "write",
    params: z.strictObject({
      partner: z.string().regex(/^\d{1,12}$/),
      token: tradeToken,
      items: z
        .array(
          z.strictObject({
            id: z.string().regex(/^\d{1,20}$/),
            max_price: money.optional(),
            custom_id: z.string().min(1).max(64).optional(),
          }),
        )
        .min(1)
        .max(100),
    }),
    response: z.looseObject({
      purchased: z.array(purchase),
      unavailable: z.array(z.looseObject({ id: intText.or(text), reason: text })),
    }),
    errors: marketBuyErrors,
  },
  market_getinfo: {
    kind: "read",
    params: z
      .strictObject({
        buy_id: z
          .string()
          .regex(/^\d{1,20}$/)
          .optional(),
        buy_ids: z
          .array(z.string().regex(/^\d{1,20}$/))
          .max(1000)
          .optional(),
        custom_ids: z.array(z.string().min(1).max(64)).max(1000).optional(),
      })
      .refine((p) => [p.buy_id, p.buy_ids, p.custom_ids].filter((v) => v !== undefined).length === 1, {
        message: "give exactly one of buy_id, buy_ids or custom_ids",
      }),
    response: z.union([z.looseObject({ items: z.array(purchase) }), purchase]),
    errors: { 1: "missing_buy_id", 2: "offer_not_found" },
  },
  market_history: {
    kind: "read",
    params: timeWindow,
    response: page(purchase),
    errors: { 1: "missing_starting_or_ending" },
  },
  balance: {
    kind: "read",
    params: z.strictObject({}),
    response: z.looseObject({
      balance: numberText,
      balance_in_currencies: amounts.nullish(),
      deals_sum: numberText.nullish(),
      deals_sum_in_currencies: amounts.nullish(),
      withdraw_sum: numberText.nullish(),
      withdraw_sum_in_currencies: amounts.nullish(),
    }),
    errors: {},
  },
  currencies: {
    kind: "read",
    params: z.strictObject({}),
    response: z.looseObject({
      items: z.array(z.looseObject({ code: text, name: text.nullish(), rate: numberText })),
    }),
    errors: {},
  },
  status: {
    kind: "read",
    params: z.strictObject({}),
    response: z.looseObject({ available: bool, reason: text.nullish() }),
    errors: {},
  },
} satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof METHODS;
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];
export type MethodParams<M extends MethodName> = z.input<(typeof METHODS)[M]["params"]>;
export type MethodResult<M extends MethodName> = z.output<(typeof METHODS)[M]["response"]>;

export function isMethodName(value: string): value is MethodName {
  return Object.hasOwn(METHODS, value);
}

/** Standard errors of every method (docs/skinsback-protocol.md#transport). */
export const STANDARD_ERRORS: Record<number, string> = {
  [-1]: "please_use_post_method",
  [-2]: "invalid_shopid",
  [-3]: "invalid_signature",
  [-4]: "shop_not_active",
  [-5]: "invalid_method",
  [-6]: "market_disabled",
  [-7]: "request_limit_reached",
  [-8]: "invalid_ip_address",
  [-9]: "under_maintenance",
  [-10]: "invalid_client_secret",
};
