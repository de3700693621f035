import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { depositStatusEnum } from "@/lib/db/schema";

/**
 * The sandbox's own tables: SkinsBack's side of the simulation. Nothing here is read by the console, and the
 * sandbox reads none of the console's tables — the two talk only over HTTP, as with the real SkinsBack.
 */

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const sandboxDeposits = pgTable(
  "sandbox_deposits",
  {
    transactionId: bigint("transaction_id", { mode: "number" })
      .primaryKey()
      .generatedAlwaysAsIdentity({ startWith: 116_700_000 }),
    orderId: text("order_id").notNull(),
    steamId: text("steam_id").notNull(),
    game: text("game").notNull(),
    status: depositStatusEnum("status").notNull(),
    /** Statuses still to come, in order (the scenario drawn at creation; offer_approve rewrites it). */
    plan: jsonb("plan").$type<string[]>().notNull(),
    nextStepAt: at("next_step_at"),
    /** Deposits made under Steam Trade Protection (CS2): they pass through in_hold. */
    holdFlow: boolean("hold_flow").notNull().default(false),
    currency: text("currency").notNull(),
    amount: numeric("amount"),
    amountUsd: numeric("amount_usd"),
    multiplier: numeric("multiplier").notNull(),
    reason: text("reason"),
    userRisk: jsonb("user_risk").$type<Record<string, unknown>>(),
    resultUrl: text("result_url"),
    tradeOfferId: text("trade_offer_id"),
    createdAt: at("created_at").notNull(),
    offerDate: at("offer_date"),
    skinsSentAt: at("skins_sent_at"),
    inHoldUntil: at("in_hold_until"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sandbox_deposits_order_id_idx").on(t.orderId),
    index("sandbox_deposits_next_step_idx").on(t.nextStepAt),
    index("sandbox_deposits_created_at_idx").on(t.createdAt),
  ],
);

/** Outbox of deposit notifications to the Result URL. */
export const sandboxNotifications = pgTable(
  "sandbox_notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: bigint("transaction_id", { mode: "number" }).notNull(),
    status: depositStatusEnum("status").notNull(),
    deliverAt: at("deliver_at").notNull(),
    /** Where to send it instead of the deposit's Result URL (the seed sends some to a failing endpoint). */
    targetUrl: text("target_url"),
    /** A worker that claimed it may send it until then; claims of crashed workers expire. */
    claimedUntil: at("claimed_until"),
    deliveredAt: at("delivered_at"),
    attempts: integer("attempts").notNull().default(0),
    lastHttpCode: text("last_http_code"),
    failed: boolean("failed").notNull().default(false),
  },
  (t) => [
    index("sandbox_notifications_due_idx").on(t.deliverAt).where(sql`delivered_at is null and not failed`),
  ],
);

/** What callback_error_list returns: notifications the merchant's server did not accept. */
export const sandboxCallbackErrors = pgTable("sandbox_callback_errors", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  transactionId: bigint("transaction_id", { mode: "number" }).notNull(),
  orderId: text("order_id").notNull(),
  httpCode: text("http_code").notNull(),
  createdAt: at("created_at").notNull().defaultNow(),
});

/** Every API request the sandbox answered; its own 500/min limit counts these. */
export const sandboxRequests = pgTable(
  "sandbox_requests",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    shopId: text("shop_id"),
    method: text("method"),
    errorCode: integer("error_code"),
    receivedAt: at("received_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index("sandbox_requests_shop_received_idx").on(t.shopId, t.receivedAt)],
);

export const sandboxPurchases = pgTable(
  "sandbox_purchases",
  {
    buyId: bigint("buy_id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity({ startWith: 5000 }),
    customId: text("custom_id"),
    item: jsonb("item").$type<{ id: string; name: string; price: string; classid: string }>().notNull(),
    steamId: text("steam_id").notNull(),
    offerStatus: text("offer_status").notNull(),
    priceUsd: numeric("price_usd").notNull(),
    tradeOfferId: text("trade_offer_id"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sandbox_purchases_custom_id_idx").on(t.customId)],
);

/** Switches (faults, live traffic) and markers (seeded), one JSON value per key. */
export const sandboxSettings = pgTable("sandbox_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
});

/**
 * What the demo receiver (the sandbox's stand-in for the merchant's backend, app/sandbox/merchant) received: one
 * row per request, with whether its Standard Webhooks signature verified and what it answered.
 */
export const sandboxMerchantReceipts = pgTable(
  "sandbox_merchant_receipts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: text("webhook_id"),
    type: text("type"),
    transactionId: text("transaction_id"),
    sequence: integer("sequence"),
    verified: boolean("verified").notNull(),
    answeredStatus: integer("answered_status").notNull(),
    receivedAt: at("received_at").notNull().defaultNow(),
  },
  (t) => [index("sandbox_merchant_receipts_webhook_id_idx").on(t.webhookId)],
);
