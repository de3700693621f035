import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { ApiKeyScope } from "@/lib/security/api-key-scopes";
import { CALL_OUTCOMES, type CallOutcome } from "@/lib/skinsback/call-outcome";
import { DEPOSIT_STATUSES } from "@/lib/skinsback/deposit-status";

/**
 * One schema for PGlite and PostgreSQL (migrations in drizzle/). Money is `numeric` (exact decimal strings in
 * TypeScript); SkinsBack and Steam ids are text. Idempotency lives here: primary keys, a partial unique index on
 * applied events, and conditional updates in lib/deposits.
 */

/** Raw request bytes, kept exactly as received (a text column cannot hold every byte sequence). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => new Uint8Array(value),
});

export const depositStatusEnum = pgEnum("deposit_status", DEPOSIT_STATUSES);

export const eventOutcomeEnum = pgEnum("event_outcome", ["applied", "duplicate", "stale", "conflict"]);

/** Where an observation of a deposit's status came from. */
export const eventSourceEnum = pgEnum("event_source", [
  "webhook",
  "replay",
  "status_check",
  "sync",
  "operator",
  "reconcile",
  "watchdog",
]);

export const deliveryOutcomeEnum = pgEnum("delivery_outcome", [
  "applied",
  "duplicate",
  "stale",
  "conflict",
  "bad_signature",
  "invalid_payload",
  "too_large",
  "unavailable",
]);

export const signCheckEnum = pgEnum("sign_check", ["valid", "invalid", "missing", "not_checked"]);
export const xSignCheckEnum = pgEnum("x_sign_check", ["valid", "invalid", "absent"]);

/** Every point in time is timestamptz, read as a Date. */
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** `column in ('a', 'b', …)` for a CHECK: the values are this file's constants, never input. */
const oneOf = (column: AnyPgColumn, values: readonly string[]) =>
  sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(", "))})`;

/** The states of the rows that track work, each held to its list by a CHECK (drizzle/0014). */
export const REPLAY_STATUSES = ["running", "applied", "unchanged", "failed"] as const;
export const REPLAY_METHODS = ["orderstatus", "stored-body"] as const;
export const REPLAY_TARGET_KINDS = ["skinsback", "delivery"] as const;
export const BULK_JOB_STATUSES = ["running", "done", "cancelled"] as const;
export const BULK_ITEM_STATES = ["pending", "applied", "unchanged", "failed", "already"] as const;
export const HOLD_APPROVAL_STATES = ["sending", "approved", "already", "failed"] as const;
export const AUDIT_OUTCOMES = ["ok", "refused", "failed"] as const;
export const AUDIT_ACTOR_KINDS = ["operator", "api-key", "anonymous", "system"] as const;

export const deposits = pgTable(
  "deposits",
  {
    transactionId: text("transaction_id").primaryKey(),
    orderId: text("order_id").notNull(),
    steamId: text("steam_id"),
    status: depositStatusEnum("status").notNull(),
    amount: numeric("amount"),
    amountCurrency: text("amount_currency"),
    amountInCurrencies: jsonb("amount_in_currencies").$type<Record<string, string>>(),
    userAmount: numeric("user_amount"),
    userAmountInCurrencies: jsonb("user_amount_in_currencies").$type<Record<string, string>>(),
    customCurrency: text("custom_currency"),
    customCurrencyRate: numeric("custom_currency_rate"),
    customCurrencySum: numeric("custom_currency_sum"),
    /** SkinsBack's `date` (deposit creation); the time we first saw it when a notification omits `date`. */
    createdAt: timestamptz("created_at").notNull(),
    offerCreatedAt: timestamptz("offer_created_at"),
    inHoldUntil: timestamptz("in_hold_until"),
    skinsSentAt: timestamptz("skins_sent_at"),
    tradeOfferId: text("trade_offer_id"),
    failReason: text("fail_reason"),
    /** Unsigned `user_risk` block of the latest `in_hold` notification, numbers as exact strings. */
    userRisk: jsonb("user_risk").$type<Record<string, unknown>>(),
    /** Set when a notification contradicted what we know (a conflict); an operator must look. */
    anomaly: text("anomaly"),
    firstSeenAt: timestamptz("first_seen_at").notNull().defaultNow(),
    statusChangedAt: timestamptz("status_changed_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    // Keyset pagination of the deposit list, newest first. `ORDER BY x DESC` means NULLS FIRST, and an index
    // serves an ORDER BY only with the same NULLS order (NOT NULL columns included), hence nullsFirst() on every
    // descending column here; lib/deposits/list-plans.test.ts fails when a list query stops using its index.
    index("deposits_created_at_idx").on(t.createdAt.desc().nullsFirst(), t.transactionId.desc().nullsFirst()),
    index("deposits_status_created_at_idx").on(
      t.status,
      t.createdAt.desc().nullsFirst(),
      t.transactionId.desc().nullsFirst(),
    ),
    // Sort by amount (a deposit without an amount sorts as 0), keyset on (amount, transaction_id).
    index("deposits_amount_idx").on(
      sql`(coalesce(${t.amount}, 0)) DESC`,
      t.transactionId.desc().nullsFirst(),
    ),
    // The "flagged" filter: few rows, newest first.
    index("deposits_flagged_idx")
      .on(t.createdAt.desc().nullsFirst(), t.transactionId.desc().nullsFirst())
      .where(sql`${t.anomaly} is not null`),
    // Search: equality and prefix (`like 'abc%'`) on order and Steam ids; text_pattern_ops compares bytes, so a
    // btree serves LIKE whatever the database's collation (drizzle/0019, online).
    index("deposits_order_id_prefix_idx").on(t.orderId.op("text_pattern_ops")),
    index("deposits_steam_id_prefix_idx").on(t.steamId.op("text_pattern_ops")),
    // The risk queue: held deposits, soonest-ending first.
    index("deposits_in_hold_until_idx")
      .on(t.inHoldUntil, t.transactionId)
      .where(sql`${t.status} = 'in_hold'`),
    // The exposure board: money released early, by when it becomes final.
    index("deposits_hold_approved_idx")
      .on(t.inHoldUntil, t.transactionId)
      .where(sql`${t.status} = 'hold_approved'`),
  ],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
    remoteAddress: text("remote_address"),
    /** Request headers with credentials replaced by "[redacted]". */
    headers: jsonb("headers").$type<Record<string, string>>().notNull(),
    contentType: text("content_type"),
    /**
     * The body as received. A rejected request keeps only its first 4 KB (and a body over the size limit only its
     * first bytes); `bodyBytes` is always the full size and `bodySha256` the hash of the bytes read.
     */
    rawBody: bytea("raw_body").notNull(),
    bodyBytes: integer("body_bytes").notNull(),
    bodySha256: text("body_sha256"),
    bodyTruncated: boolean("body_truncated").notNull().default(false),
    encoding: text("encoding"),
    signCheck: signCheckEnum("sign_check").notNull(),
    signVariant: text("sign_variant"),
    xSignCheck: xSignCheckEnum("x_sign_check").notNull(),
    outcome: deliveryOutcomeEnum("outcome").notNull(),
    httpStatus: smallint("http_status").notNull(),
    error: text("error"),
    transactionId: text("transaction_id"),
    notificationStatus: depositStatusEnum("notification_status"),
    durationMs: integer("duration_ms").notNull(),
    /** The delivery this one re-submitted, when an operator replays a notification. */
    replayOfDeliveryId: bigint("replay_of_delivery_id", { mode: "number" }),
    /** The notification's `sign` (lowercase hex): one value per set of signed fields, whatever rides unsigned. */
    sign: text("sign"),
    /**
     * Set when this delivery repeats signed fields already received KEPT_SIGNED_COPIES times for the deposit
     * (drizzle/0013): the first such delivery. Its body and payload were not stored again (size, hash, address and
     * outcome are), so one replayed signed body cannot fill the disk.
     */
    identicalToDeliveryId: bigint("identical_to_delivery_id", { mode: "number" }),
  },
  (t) => [
    // Finds the stored copies of one signed notification; copies themselves are not indexed, so the lookup
    // reads at most KEPT_SIGNED_COPIES entries however many copies arrive.
    index("webhook_deliveries_signed_copies_idx")
      .on(t.transactionId, t.sign)
      .where(sql`${t.identicalToDeliveryId} is null and ${t.sign} is not null`),
    index("webhook_deliveries_received_at_idx").on(
      t.receivedAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("webhook_deliveries_transaction_id_idx").on(t.transactionId),
    // The delivery log filtered by outcome, newest (highest id) first.
    index("webhook_deliveries_outcome_idx").on(t.outcome, t.id.desc().nullsFirst()),
  ],
);

/**
 * Rejected requests counted cheaply, so junk cannot fill the disk: one row per (scope, window) with a request
 * count. Scope `address:<ip>` counts per client address per minute, scope `all` every rejected request per hour;
 * only the first few of each window also get a (size-capped) webhook_deliveries row.
 */
export const webhookRejectionCounts = pgTable(
  "webhook_rejection_counts",
  {
    scope: text("scope").notNull(),
    windowStart: timestamptz("window_start").notNull(),
    requests: integer("requests").notNull(),
    bytes: bigint("bytes", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.windowStart] })],
);

export const depositEvents = pgTable(
  "deposit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: text("transaction_id")
      .notNull()
      .references(() => deposits.transactionId),
    deliveryId: bigint("delivery_id", { mode: "number" }).references(() => webhookDeliveries.id),
    source: eventSourceEnum("source").notNull(),
    status: depositStatusEnum("status").notNull(),
    /** The deposit's status when this observation was judged (null: first observation). */
    previousStatus: depositStatusEnum("previous_status"),
    outcome: eventOutcomeEnum("outcome").notNull(),
    /** The whole notification as received (numbers as exact strings), unknown fields included. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    note: text("note"),
    observedAt: timestamptz("observed_at").notNull().defaultNow(),
  },
  (t) => [
    index("deposit_events_transaction_id_idx").on(t.transactionId, t.id),
    // A deposit's timeline finds the deliveries that named it but changed nothing (drizzle/0017, online).
    index("deposit_events_delivery_id_idx").on(t.deliveryId).where(sql`${t.deliveryId} is not null`),
    // Idempotency guard: a status is applied to a deposit at most once, whatever races happen above.
    uniqueIndex("deposit_events_applied_once_idx")
      .on(t.transactionId, t.status)
      .where(sql`${t.outcome} = 'applied'`),
  ],
);

/**
 * Notes operators write on a deposit ("player confirmed by chat", "refunded by hand"): on its timeline, audited,
 * never edited — a correction is another note.
 */
export const depositNotes = pgTable(
  "deposit_notes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: text("transaction_id")
      .notNull()
      .references(() => deposits.transactionId),
    body: text("body").notNull(),
    authorEmail: text("author_email").notNull(),
    createdAt: timestamptz("created_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index("deposit_notes_transaction_idx").on(t.transactionId, t.id)],
);

export type Deposit = typeof deposits.$inferSelect;
export type NewDeposit = typeof deposits.$inferInsert;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type NewWebhookDelivery = typeof webhookDeliveries.$inferInsert;
export type DepositEvent = typeof depositEvents.$inferSelect;

/**
 * The shared SkinsBack rate budget (500 calls per rolling minute per project, across every instance): one row per
 * call sent within the window. Writers serialize on a per-bucket advisory lock; time is the database's clock.
 */
export const apiRateSlots = pgTable(
  "api_rate_slots",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    bucket: text("bucket").notNull(),
    takenAt: timestamptz("taken_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [index("api_rate_slots_bucket_taken_at_idx").on(t.bucket, t.takenAt)],
);

/** After SkinsBack answers -7 the project is blocked for a while: nobody sends until `blocked_until`. */
export const apiRateBlocks = pgTable("api_rate_blocks", {
  bucket: text("bucket").primaryKey(),
  blockedUntil: timestamptz("blocked_until").notNull(),
});

/** Every SkinsBack API call made through the console (proxy, operators, jobs), with redacted parameters. */
export const apiCalls = pgTable(
  "api_calls",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    calledAt: timestamptz("called_at").notNull().defaultNow(),
    method: text("method").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    outcome: text("outcome").$type<CallOutcome>().notNull(),
    errorCode: integer("error_code"),
    errorMessage: text("error_message"),
    durationMs: integer("duration_ms").notNull(),
    attempts: smallint("attempts").notNull(),
    /** Who asked: "api-key", "operator:<email>", "job:<name>" (callerLabel in lib/audit). */
    caller: text("caller").notNull(),
  },
  (t) => [
    check("api_calls_outcome_check", oneOf(t.outcome, CALL_OUTCOMES)),
    index("api_calls_called_at_idx").on(t.calledAt.desc().nullsFirst()),
    index("api_calls_method_idx").on(t.method),
    // A deposit's timeline lists the calls about it (orderstatus, offer_approve, …).
    index("api_calls_transaction_idx").on(sql`(${t.params} ->> 'transaction_id')`),
  ],
);

export type ApiCall = typeof apiCalls.$inferSelect;

// ---------------------------------------------------------------------------------------------------------------
// Operators: the people who sign in. The four tables below are better-auth's (user, session, account,
// verification, mapped in lib/auth/auth.ts); the JS property names are the field names better-auth expects.

export const OPERATOR_ROLES = ["viewer", "operator", "admin"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export const operators = pgTable(
  "operators",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Stored lower-cased (better-auth lower-cases at sign-in); unique. */
    email: text("email").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role").$type<OperatorRole>().notNull().default("viewer"),
    /** Created by an admin with a one-time password: nothing but choosing a new password until it is done. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    /** Set when an admin disables the operator; their sessions are deleted in the same transaction. */
    disabledAt: timestamptz("disabled_at"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("operators_email_idx").on(t.email),
    check("operators_role_check", sql`${t.role} in ('viewer', 'operator', 'admin')`),
  ],
);

export const operatorSessions = pgTable(
  "operator_sessions",
  {
    id: text("id").primaryKey(),
    /** Idle expiry: moved forward while the session is used (better-auth's updateAge). */
    expiresAt: timestamptz("expires_at").notNull(),
    token: text("token").notNull(),
    /** The absolute expiry counts from here (lib/auth/session.ts). */
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => operators.id, { onDelete: "cascade" }),
  },
  (t) => [
    uniqueIndex("operator_sessions_token_idx").on(t.token),
    index("operator_sessions_user_idx").on(t.userId),
  ],
);

/** Credentials: one "credential" row per operator holding the password hash (scrypt, better-auth's default). */
export const operatorAccounts = pgTable(
  "operator_accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => operators.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamptz("access_token_expires_at"),
    refreshTokenExpiresAt: timestamptz("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("operator_accounts_user_idx").on(t.userId)],
);

export const authVerifications = pgTable("auth_verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestamptz("expires_at").notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

/**
 * The first admin, claimed once: a single row whose primary key can only ever be `true`, inserted in the same
 * transaction that creates the first admin. Two concurrent /setup submissions cannot both insert it.
 */
export const consoleSetup = pgTable(
  "console_setup",
  {
    singleton: boolean("singleton").primaryKey().default(true),
    firstAdminId: text("first_admin_id").notNull(),
    /** "setup-page", "environment" (CONSOLE_ADMIN_EMAIL) or "sandbox-demo". */
    via: text("via").notNull(),
    completedAt: timestamptz("completed_at").notNull().defaultNow(),
  },
  (t) => [check("console_setup_singleton_check", sql`${t.singleton}`)],
);

/** Secrets the console generates for itself when none is configured (shared by every instance on one database). */
export const consoleSecrets = pgTable("console_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
});

/**
 * Failed sign-in limits, per account (lower-cased email) and per client address, kept in the database so that
 * every instance sees the same counts. Attempts are counted when they start (a right password clears the
 * account's row), so concurrent guesses cannot slip past the limit.
 */
export const signInThrottle = pgTable(
  "sign_in_throttle",
  {
    /** lib/auth/sign-in-throttle.ts's SignInScope (text, so a new scope needs no migration). */
    scope: text("scope").$type<"accountAddress" | "account" | "address" | "passwordCheck">().notNull(),
    key: text("key").notNull(),
    attempts: integer("attempts").notNull(),
    windowStartedAt: timestamptz("window_started_at").notNull(),
    lockedUntil: timestamptz("locked_until"),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/**
 * The audit log: one row per act. Append-only — a trigger (drizzle/0005) refuses UPDATE, DELETE and TRUNCATE, so
 * not even a bug or a hand-typed statement can rewrite it.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamptz("at").notNull().default(sql`clock_timestamp()`),
    actorKind: text("actor_kind").$type<(typeof AUDIT_ACTOR_KINDS)[number]>().notNull(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    /** e.g. "sign-in", "sign-in.failed", "operator.create", "proxy.call". */
    action: text("action").notNull(),
    outcome: text("outcome").$type<(typeof AUDIT_OUTCOMES)[number]>().notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** The deposit the act concerns, for its timeline. */
    transactionId: text("transaction_id"),
    address: text("address"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    check("audit_events_outcome_check", oneOf(t.outcome, AUDIT_OUTCOMES)),
    check("audit_events_actor_kind_check", oneOf(t.actorKind, AUDIT_ACTOR_KINDS)),
    index("audit_events_at_idx").on(t.at.desc().nullsFirst()),
    index("audit_events_actor_idx").on(t.actorId, t.id.desc().nullsFirst()),
    index("audit_events_action_idx").on(t.action, t.id.desc().nullsFirst()),
    index("audit_events_transaction_idx").on(t.transactionId).where(sql`${t.transactionId} is not null`),
  ],
);

export type Operator = typeof operators.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;

// ---------------------------------------------------------------------------------------------------------------
// Failed notifications: SkinsBack's failed list mirrored here, replays, and the jobs that keep them current.

/**
 * SkinsBack's failed-notification list (`callback_error_list`), synced: one row per transaction listed. The list
 * has no ids or dates, only repeated entries, so a transaction's entries are counted: a row resolved (by a replay,
 * or because SkinsBack stopped listing it) reopens as a new `generation` only when more entries are listed for it
 * than when it was resolved — a new failure — not merely because SkinsBack still lists the old ones.
 */
export const skinsbackFailures = pgTable(
  "skinsback_failures",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: text("transaction_id").notNull(),
    orderId: text("order_id").notNull(),
    /** The HTTP status our server answered, as SkinsBack lists it (text, exactly as listed; the latest entry's). */
    httpCode: text("http_code").notNull(),
    /** How many entries SkinsBack lists for this transaction, at the last sync. */
    listedCount: integer("listed_count").notNull(),
    /** 1, then +1 each time a resolved row reopens with a new failure; replays are once per generation. */
    generation: integer("generation").notNull().default(1),
    /** When this generation's failure was first listed. */
    firstSeenAt: timestamptz("first_seen_at").notNull().defaultNow(),
    lastSeenAt: timestamptz("last_seen_at").notNull().defaultNow(),
    /** "replayed" or "no longer listed". */
    resolution: text("resolution"),
    resolvedAt: timestamptz("resolved_at"),
    resolvedListedCount: integer("resolved_listed_count"),
  },
  (t) => [
    uniqueIndex("skinsback_failures_transaction_idx").on(t.transactionId),
    index("skinsback_failures_last_seen_idx").on(t.lastSeenAt.desc().nullsFirst()),
  ],
);

/**
 * The deliveries this console refused or could not store (a replayable outcome, not a replay's own record), one
 * row each, kept by triggers (drizzle/0016) so the failed screen never recomputes them from all history:
 * webhook_deliveries' insert opens a row; it is resolved "replayed" when a replay of it succeeds, or "stored
 * since" when the deposit later records the status the delivery carried. The screen reads open rows through a
 * partial index, and a row's body from webhook_deliveries only for the rows it shows.
 */
export const consoleFailures = pgTable(
  "console_failures",
  {
    deliveryId: bigint("delivery_id", { mode: "number" })
      .primaryKey()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    transactionId: text("transaction_id"),
    httpStatus: smallint("http_status").notNull(),
    outcome: deliveryOutcomeEnum("outcome").notNull(),
    error: text("error"),
    notificationStatus: depositStatusEnum("notification_status"),
    receivedAt: timestamptz("received_at").notNull(),
    /** "replayed" or "stored since". */
    resolution: text("resolution"),
    resolvedAt: timestamptz("resolved_at"),
  },
  (t) => [
    index("console_failures_open_idx")
      .on(t.receivedAt.desc().nullsFirst(), t.deliveryId.desc().nullsFirst())
      .where(sql`${t.resolvedAt} is null`),
    index("console_failures_received_at_idx").on(t.receivedAt.desc().nullsFirst()),
    index("console_failures_open_transaction_idx").on(t.transactionId).where(sql`${t.resolvedAt} is null`),
  ],
);

/**
 * One replay per failed row: the partial unique index admits one replay that is running or succeeded for a
 * target, so a double click, two tabs or two operators produce one replay and the others read who did it. A
 * failed replay (SkinsBack unreachable, say) does not block the next attempt.
 */
export const notificationReplays = pgTable(
  "notification_replays",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** "skinsback": a skinsback_failures row; "delivery": a webhook_deliveries row this console refused. */
    targetKind: text("target_kind").$type<(typeof REPLAY_TARGET_KINDS)[number]>().notNull(),
    targetId: bigint("target_id", { mode: "number" }).notNull(),
    /** The failed row's generation (1 for deliveries): a reopened failure can be replayed again. */
    targetGeneration: integer("target_generation").notNull().default(1),
    transactionId: text("transaction_id"),
    /** "running", then "applied", "unchanged" or "failed". */
    status: text("status").$type<(typeof REPLAY_STATUSES)[number]>().notNull(),
    /** "orderstatus" (the truth read from SkinsBack) or "stored-body" (the delivery's own bytes re-verified). */
    method: text("method").$type<(typeof REPLAY_METHODS)[number]>().notNull(),
    requestedBy: text("requested_by").notNull(),
    requestedAt: timestamptz("requested_at").notNull().default(sql`clock_timestamp()`),
    finishedAt: timestamptz("finished_at"),
    previousStatus: depositStatusEnum("previous_status"),
    newStatus: depositStatusEnum("new_status"),
    eventId: bigint("event_id", { mode: "number" }),
    deliveryId: bigint("delivery_id", { mode: "number" }),
    message: text("message"),
    bulkJobId: bigint("bulk_job_id", { mode: "number" }),
  },
  (t) => [
    check("notification_replays_status_check", oneOf(t.status, REPLAY_STATUSES)),
    check("notification_replays_method_check", oneOf(t.method, REPLAY_METHODS)),
    check("notification_replays_target_kind_check", oneOf(t.targetKind, REPLAY_TARGET_KINDS)),
    uniqueIndex("notification_replays_once_idx")
      .on(t.targetKind, t.targetId, t.targetGeneration)
      .where(sql`${t.status} in ('running', 'applied', 'unchanged')`),
    index("notification_replays_transaction_idx").on(t.transactionId),
  ],
);

/**
 * Recurring jobs, run once per interval across every instance: an instance runs a job only after moving its
 * `next_run_at` forward with a conditional UPDATE, which exactly one instance can win (lib/jobs/scheduler.ts).
 */
export const scheduledJobs = pgTable("scheduled_jobs", {
  name: text("name").primaryKey(),
  nextRunAt: timestamptz("next_run_at").notNull(),
  runningSince: timestamptz("running_since"),
  /** The token of the claim that set `running_since` (lib/db/lease.ts): only that claim finishes or hands over. */
  claimToken: text("claim_token"),
  lastStartedAt: timestamptz("last_started_at"),
  lastFinishedAt: timestamptz("last_finished_at"),
  lastDurationMs: integer("last_duration_ms"),
  lastResult: jsonb("last_result").$type<Record<string, unknown>>(),
  lastError: text("last_error"),
  runs: integer("runs").notNull().default(0),
});

export type SkinsbackFailure = typeof skinsbackFailures.$inferSelect;
export type NotificationReplay = typeof notificationReplays.$inferSelect;
export type ScheduledJob = typeof scheduledJobs.$inferSelect;

/**
 * A bulk replay: the rows matching an operator's filter, snapshotted when it starts, replayed in the background by
 * whichever instance holds its lease (taken over when an instance dies, so it survives restarts). At most one
 * runs at a time — a unique index on the running status — so no two bulk jobs ever work on the same rows.
 */
export const bulkReplayJobs = pgTable(
  "bulk_replay_jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** "running", then "done" or "cancelled". */
    status: text("status").$type<(typeof BULK_JOB_STATUSES)[number]>().notNull().default("running"),
    filter: jsonb("filter").$type<Record<string, unknown>>().notNull(),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    applied: integer("applied").notNull().default(0),
    unchanged: integer("unchanged").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    createdBy: text("created_by").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
    cancelRequestedAt: timestamptz("cancel_requested_at"),
    cancelledBy: text("cancelled_by"),
    leaseOwner: text("lease_owner"),
    leaseUntil: timestamptz("lease_until"),
  },
  (t) => [
    check("bulk_replay_jobs_status_check", oneOf(t.status, BULK_JOB_STATUSES)),
    uniqueIndex("bulk_replay_jobs_one_running_idx").on(sql`(true)`).where(sql`${t.status} = 'running'`),
  ],
);

export const bulkReplayItems = pgTable(
  "bulk_replay_items",
  {
    jobId: bigint("job_id", { mode: "number" })
      .notNull()
      .references(() => bulkReplayJobs.id),
    position: integer("position").notNull(),
    targetKind: text("target_kind").$type<(typeof REPLAY_TARGET_KINDS)[number]>().notNull(),
    targetId: bigint("target_id", { mode: "number" }).notNull(),
    /** "pending", then "applied", "unchanged", "failed" or "already" (someone else replayed it meanwhile). */
    state: text("state").$type<(typeof BULK_ITEM_STATES)[number]>().notNull().default("pending"),
    message: text("message"),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.position] }),
    check("bulk_replay_items_state_check", oneOf(t.state, BULK_ITEM_STATES)),
    check("bulk_replay_items_target_kind_check", oneOf(t.targetKind, REPLAY_TARGET_KINDS)),
    index("bulk_replay_items_pending_idx").on(t.jobId, t.position).where(sql`${t.state} = 'pending'`),
  ],
);

export type BulkReplayJob = typeof bulkReplayJobs.$inferSelect;

/** Settings operators change in the console (admins only), shared by every instance. */
export const consoleSettings = pgTable("console_settings", {
  name: text("name").primaryKey(),
  value: jsonb("value").notNull(),
  updatedBy: text("updated_by"),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
});

/**
 * Deposits per day of creation (UTC), current status and currency, with their money: the overview's charts and
 * the deposit list's unfiltered totals read this instead of scanning a million rows. Maintained by a trigger on
 * `deposits` (drizzle/0010), so it changes in the same transaction as every ingest, whatever the write path;
 * `npm run db:check-rollup` recounts it from the deposits' events and must agree (lib/overview/rollup.ts).
 */
export const depositDailyTotals = pgTable(
  "deposit_daily_totals",
  {
    day: date("day", { mode: "string" }).notNull(),
    status: depositStatusEnum("status").notNull(),
    /** "" when the deposit has no currency yet (a primary key column cannot be null). */
    currency: text("currency").notNull(),
    deposits: bigint("deposits", { mode: "number" }).notNull(),
    amount: numeric("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.status, t.currency] })],
);

/**
 * This merchant's history with each player (Steam id): the risk queue's "their deposits here" and the exposure
 * board's top players read this instead of every deposit the player ever made. Kept by a trigger on `deposits`
 * (drizzle/0018), in the writing transaction, like deposit_daily_totals.
 */
export const playerTotals = pgTable(
  "player_totals",
  {
    steamId: text("steam_id").primaryKey(),
    deposits: integer("deposits").notNull(),
    successes: integer("successes").notNull(),
    returned: integer("returned").notNull(),
    /** Deposits `hold_approved` now: money released early, not final yet. */
    exposedDeposits: integer("exposed_deposits").notNull(),
    /** That money per currency, exact decimal text ({"eur": "12.50"}); "" for a deposit without a currency. */
    exposedAmounts: jsonb("exposed_amounts").$type<Record<string, string>>().notNull(),
    /** SkinsBack's USD figure of that money (lib/holds/usd.ts). */
    exposedUsd: numeric("exposed_usd").notNull(),
  },
  (t) => [
    index("player_totals_exposed_idx")
      .on(t.exposedUsd.desc().nullsFirst(), t.steamId)
      .where(sql`${t.exposedDeposits} <> 0`),
  ],
);

export const HOLD_TOTAL_KINDS = ["until_final", "clawback"] as const;

/**
 * The exposure board's day sums, kept by the same trigger: `until_final` — `hold_approved` deposits by the UTC
 * day their hold ends ("unknown" without one); `clawback` — `hold_returned` deposits by the UTC day they were
 * returned.
 */
export const holdTotals = pgTable(
  "hold_totals",
  {
    kind: text("kind").$type<(typeof HOLD_TOTAL_KINDS)[number]>().notNull(),
    /** YYYY-MM-DD, or "unknown". */
    day: text("day").notNull(),
    currency: text("currency").notNull(),
    deposits: integer("deposits").notNull(),
    amount: numeric("amount").notNull(),
    usd: numeric("usd").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.day, t.currency] }),
    check("hold_totals_kind_check", oneOf(t.kind, HOLD_TOTAL_KINDS)),
  ],
);

/**
 * Early approvals of held deposits (`offer_approve`): one row per deposit, ever — the primary key is what makes a
 * second click, a second tab or a second operator an "already approved by X at T" instead of a second call.
 * `state`: "sending" while the call is out, then "approved", "already" (SkinsBack's error 5: approved or cancelled
 * before us) or "failed" (a definite refusal or no answer; a failed row may be claimed again).
 */
export const holdApprovals = pgTable(
  "hold_approvals",
  {
    transactionId: text("transaction_id")
      .primaryKey()
      .references(() => deposits.transactionId),
    state: text("state").$type<(typeof HOLD_APPROVAL_STATES)[number]>().notNull(),
    operatorId: text("operator_id"),
    operatorEmail: text("operator_email").notNull(),
    reason: text("reason").notNull(),
    /** The assessment when the operator decided: level and the rules that fired. */
    riskLevel: text("risk_level").notNull(),
    riskReasons: jsonb("risk_reasons").$type<string[]>().notNull(),
    amount: numeric("amount"),
    currency: text("currency"),
    /**
     * The deposit's signed amount in USD when it was approved: `amount` converted with SkinsBack's own rate
     * (`currency_rates`, read by the console from `currencies`), never the notification's unsigned USD figure.
     */
    usd: numeric("usd"),
    /** When the rate behind `usd` was read from SkinsBack. */
    ratesAt: timestamptz("rates_at"),
    /** The bulk approval this was part of, if any. */
    bulk: boolean("bulk").notNull().default(false),
    message: text("message"),
    requestedAt: timestamptz("requested_at").notNull().default(sql`clock_timestamp()`),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    check("hold_approvals_state_check", oneOf(t.state, HOLD_APPROVAL_STATES)),
    index("hold_approvals_requested_at_idx").on(t.requestedAt.desc().nullsFirst()),
  ],
);
export type HoldApproval = typeof holdApprovals.$inferSelect;

/**
 * SkinsBack's currency rates as the console read them itself (`currencies`, a signed call over TLS): units of the
 * currency per US dollar. The exposure caps convert signed amounts with these, never with the USD figure a
 * notification carries outside its signature.
 */
export const currencyRates = pgTable(
  "currency_rates",
  {
    code: text("code").primaryKey(),
    rate: numeric("rate").notNull(),
    fetchedAt: timestamptz("fetched_at").notNull(),
  },
  (t) => [check("currency_rates_rate_check", sql`${t.rate} > 0`)],
);

// --- forwarding to the merchant's backend, the event feed, API keys -------------------------------------------

export const FORWARD_FORMATS = ["standard", "skinsback"] as const;
export type ForwardFormat = (typeof FORWARD_FORMATS)[number];
/** `disabled`: by the console (a 410, or five days of failures), with `state_reason`; `paused`: by an admin. */
export const FORWARD_ENDPOINT_STATES = ["enabled", "paused", "disabled"] as const;
export type ForwardEndpointState = (typeof FORWARD_ENDPOINT_STATES)[number];
export const FORWARD_MESSAGE_STATES = ["waiting", "delivered", "failed"] as const;
export type ForwardMessageState = (typeof FORWARD_MESSAGE_STATES)[number];
export const SKINSBACK_ENCODINGS = ["json", "form"] as const;

/** PostgreSQL's 64-bit transaction id, read as text: the feed orders by it (lib/forwarding/feed.ts). */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

/**
 * Where verified deposit changes are forwarded. A message waits while its endpoint is paused or disabled and is
 * sent, in order, once it is enabled again; nothing is dropped. `secret` signs (Standard Webhooks, `whsec_…`);
 * during a rotation `previous_secret` signs too until `previous_secret_until`.
 */
export const forwardEndpoints = pgTable(
  "forward_endpoints",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    format: text("format").$type<ForwardFormat>().notNull(),
    /** Event types sent (`deposit.success`, `deposit.flagged`…); empty: every type. */
    eventTypes: text("event_types").array().notNull().default(sql`'{}'::text[]`),
    state: text("state").$type<ForwardEndpointState>().notNull().default("enabled"),
    stateReason: text("state_reason"),
    /** The admin allowed loopback and private addresses for this endpoint (a backend on the internal network). */
    allowPrivateNetwork: boolean("allow_private_network").notNull().default(false),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretUntil: timestamptz("previous_secret_until"),
    /** The `skinsback` format's signing secret; null: the project's client secret. */
    skinsbackSecret: text("skinsback_secret"),
    skinsbackEncoding: text("skinsback_encoding")
      .$type<(typeof SKINSBACK_ENCODINGS)[number]>()
      .notNull()
      .default("json"),
    /** Messages of this endpoint in flight at once, across every instance. */
    concurrency: integer("concurrency").notNull().default(8),
    /** Since when every attempt has failed (null after a success); five days of it disables the endpoint. */
    failingSince: timestamptz("failing_since"),
    /** `environment`: made from CONSOLE_FORWARD_URL at start (named `default`); `sandbox`: the demo receiver. */
    origin: text("origin").notNull().default("console"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("forward_endpoints_name_idx").on(t.name),
    check("forward_endpoints_format_check", oneOf(t.format, FORWARD_FORMATS)),
    check("forward_endpoints_state_check", oneOf(t.state, FORWARD_ENDPOINT_STATES)),
    check("forward_endpoints_skinsback_encoding_check", oneOf(t.skinsbackEncoding, SKINSBACK_ENCODINGS)),
    check("forward_endpoints_concurrency_check", sql`${t.concurrency} between 1 and 64`),
  ],
);
export type ForwardEndpoint = typeof forwardEndpoints.$inferSelect;

/**
 * Every applied deposit change and every flag, in the order they were made: the event feed and the source of
 * every forwarded message. Written by the trigger on `deposit_events` (drizzle/0015) in the transaction that
 * made the change, so there is no change without its row and no row without its change. `sequence` counts a
 * deposit's changes (1, 2, 3…), assigned under the deposit's row lock. `data` is what a merchant receives.
 */
export const depositChanges = pgTable(
  "deposit_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: bigint("event_id", { mode: "number" })
      .notNull()
      .references(() => depositEvents.id),
    transactionId: text("transaction_id").notNull(),
    sequence: integer("sequence").notNull(),
    type: text("type").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    /** The writing transaction: the feed serves a row only once every older transaction has ended. */
    txid: xid8("txid").notNull().default(sql`pg_current_xact_id()`),
    createdAt: timestamptz("created_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    uniqueIndex("deposit_changes_sequence_idx").on(t.transactionId, t.sequence),
    index("deposit_changes_feed_idx").on(t.txid, t.id),
    index("deposit_changes_event_idx").on(t.eventId),
  ],
);
export type DepositChange = typeof depositChanges.$inferSelect;

/**
 * One message per change and matching endpoint (a test event has no change). `waiting` until delivered or
 * failed; a deposit's next message is claimed only when none before it on that endpoint is waiting.
 */
export const forwardMessages = pgTable(
  "forward_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => forwardEndpoints.id, { onDelete: "cascade" }),
    changeId: bigint("change_id", { mode: "number" }).references(() => depositChanges.id),
    transactionId: text("transaction_id"),
    sequence: integer("sequence"),
    type: text("type").notNull(),
    state: text("state").$type<ForwardMessageState>().notNull().default("waiting"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().default(sql`clock_timestamp()`),
    /** Taken by a sender until then; a sender that died is replaced once it passes. */
    claimedUntil: timestamptz("claimed_until"),
    lastHttpStatus: smallint("last_http_status"),
    lastError: text("last_error"),
    deliveredAt: timestamptz("delivered_at"),
    /** The recovery that queued this message again, if one did (its progress and cancel read this). */
    recoveryId: bigint("recovery_id", { mode: "number" }),
    createdAt: timestamptz("created_at").notNull().default(sql`clock_timestamp()`),
  },
  (t) => [
    index("forward_messages_recovery_idx").on(t.recoveryId, t.state).where(sql`${t.recoveryId} is not null`),
    check("forward_messages_state_check", oneOf(t.state, FORWARD_MESSAGE_STATES)),
    uniqueIndex("forward_messages_change_idx").on(t.endpointId, t.changeId),
    // The sender's scan: only waiting rows, soonest first.
    index("forward_messages_due_idx")
      .on(t.endpointId, t.nextAttemptAt, t.id)
      .where(sql`${t.state} = 'waiting'`),
    // The ordering rule: is an earlier message of this deposit still waiting on this endpoint?
    index("forward_messages_lane_idx")
      .on(t.endpointId, t.transactionId, t.sequence)
      .where(sql`${t.state} = 'waiting'`),
    // The sender's slots (messages in flight) and the endpoint's oldest waiting message: read every round and on
    // every forwarding page, so neither may scan a backlog (a receiver down for hours has thousands waiting).
    index("forward_messages_claimed_idx")
      .on(t.endpointId, t.claimedUntil)
      .where(sql`${t.state} = 'waiting' and ${t.claimedUntil} is not null`),
    index("forward_messages_waiting_age_idx")
      .on(t.endpointId, t.createdAt)
      .where(sql`${t.state} = 'waiting'`),
    index("forward_messages_log_idx").on(t.endpointId, t.id.desc()),
    index("forward_messages_transaction_idx").on(t.transactionId, t.id),
  ],
);
export type ForwardMessage = typeof forwardMessages.$inferSelect;

/**
 * "Recover failed since T": the failed messages of an endpoint made since `since`, queued again at once; the
 * sender is the worker. Progress is how many of them have been delivered; cancelling fails the ones still waiting.
 */
export const forwardRecoveries = pgTable("forward_recoveries", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  endpointId: text("endpoint_id")
    .notNull()
    .references(() => forwardEndpoints.id, { onDelete: "cascade" }),
  since: timestamptz("since").notNull(),
  total: integer("total").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  cancelledAt: timestamptz("cancelled_at"),
});
export type ForwardRecovery = typeof forwardRecoveries.$inferSelect;

/** Every attempt to deliver a message, kept: when, what came back, how long it took. */
export const forwardAttempts = pgTable(
  "forward_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    messageId: bigint("message_id", { mode: "number" })
      .notNull()
      .references(() => forwardMessages.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id").notNull(),
    attemptedAt: timestamptz("attempted_at").notNull(),
    /** The `webhook-timestamp` sent (Unix seconds). */
    signedAt: bigint("signed_at", { mode: "number" }).notNull(),
    httpStatus: smallint("http_status"),
    durationMs: integer("duration_ms").notNull(),
    /** The first 1 KB of the answer, as text. */
    response: text("response"),
    error: text("error"),
    delivered: boolean("delivered").notNull(),
  },
  (t) => [
    index("forward_attempts_message_idx").on(t.messageId, t.id),
    index("forward_attempts_endpoint_idx").on(t.endpointId, t.attemptedAt),
  ],
);
export type ForwardAttempt = typeof forwardAttempts.$inferSelect;

/**
 * API keys for machines (the event feed, deposits, the SkinsBack proxy). Only a SHA-256 of the key is stored
 * (keys are 32 random bytes, so a fast hash is enough); `prefix` is what people recognise it by. Checked against
 * this table on every request, so a revocation holds on every instance at once.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().$type<ApiKeyScope[]>().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastUsedAt: timestamptz("last_used_at"),
    lastUsedAddress: text("last_used_address"),
    revokedAt: timestamptz("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  (t) => [uniqueIndex("api_keys_hash_idx").on(t.keyHash)],
);
export type ApiKey = typeof apiKeys.$inferSelect;

// --- reconciliation against SkinsBack's orders, the watchdogs, alerts to the team ----------------------------

export const RECONCILE_RUN_KINDS = ["regular", "deep", "manual"] as const;
export type ReconcileRunKind = (typeof RECONCILE_RUN_KINDS)[number];
export const RECONCILE_RUN_STATES = ["running", "ok", "failed"] as const;
/**
 * What a comparison with SkinsBack found. `missing` / `behind` were applied (the console caught up, through the
 * ingest call); `contradiction` (a final status differs), `amount` (the money differs) and `unknown_at_skinsback`
 * (ours, not SkinsBack's: a forgery or a test) are flagged and never overwritten; `stuck`: a deposit the watchdog
 * found waiting too long, still waiting after `orderstatus`.
 */
export const DIFFERENCE_KINDS = [
  "missing",
  "behind",
  "contradiction",
  "amount",
  "unknown_at_skinsback",
  "stuck",
] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];
export const DIFFERENCE_STATES = ["open", "acknowledged", "resolved", "ignored"] as const;
export type DifferenceState = (typeof DIFFERENCE_STATES)[number];

/** One walk of SkinsBack's `orders` over a window, with what it found. */
export const reconcileRuns = pgTable(
  "reconcile_runs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").$type<ReconcileRunKind>().notNull(),
    windowStart: timestamptz("window_start").notNull(),
    windowEnd: timestamptz("window_end").notNull(),
    state: text("state").$type<(typeof RECONCILE_RUN_STATES)[number]>().notNull().default("running"),
    requestedBy: text("requested_by").notNull(),
    startedAt: timestamptz("started_at").notNull().default(sql`clock_timestamp()`),
    finishedAt: timestamptz("finished_at"),
    /** `orders` pages read, and calls made (a split window's first pages count as calls too). */
    pages: integer("pages").notNull().default(0),
    calls: integer("calls").notNull().default(0),
    /** Deposits SkinsBack listed in the window, and ours created in it. */
    theirs: integer("theirs").notNull().default(0),
    ours: integer("ours").notNull().default(0),
    applied: integer("applied").notNull().default(0),
    flagged: integer("flagged").notNull().default(0),
    /** Money in final `success` per currency on both sides: `{ skinsback: {usd: "1.00"}, console: {…} }`. */
    totals: jsonb("totals").$type<{ skinsback: Record<string, string>; console: Record<string, string> }>(),
    error: text("error"),
  },
  (t) => [
    check("reconcile_runs_kind_check", oneOf(t.kind, RECONCILE_RUN_KINDS)),
    check("reconcile_runs_state_check", oneOf(t.state, RECONCILE_RUN_STATES)),
    index("reconcile_runs_started_idx").on(t.startedAt.desc().nullsFirst()),
  ],
);
export type ReconcileRun = typeof reconcileRuns.$inferSelect;

/** One difference per (deposit, kind): found again, it is the same row (`last_seen_at` moves). */
export const reconcileDifferences = pgTable(
  "reconcile_differences",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    transactionId: text("transaction_id").notNull(),
    orderId: text("order_id"),
    kind: text("kind").$type<DifferenceKind>().notNull(),
    state: text("state").$type<DifferenceState>().notNull().default("open"),
    /** What each side said: `{status, amount, currency}`; null where that side knows nothing. */
    ours: jsonb("ours").$type<Record<string, string | null>>(),
    theirs: jsonb("theirs").$type<Record<string, string | null>>(),
    detail: text("detail").notNull(),
    runId: bigint("run_id", { mode: "number" }),
    firstSeenAt: timestamptz("first_seen_at").notNull().default(sql`clock_timestamp()`),
    lastSeenAt: timestamptz("last_seen_at").notNull().default(sql`clock_timestamp()`),
    /** Who moved it to its state, when, and their note (or the console's, for a fix it applied). */
    note: text("note"),
    decidedBy: text("decided_by"),
    decidedAt: timestamptz("decided_at"),
  },
  (t) => [
    check("reconcile_differences_kind_check", oneOf(t.kind, DIFFERENCE_KINDS)),
    check("reconcile_differences_state_check", oneOf(t.state, DIFFERENCE_STATES)),
    uniqueIndex("reconcile_differences_deposit_kind_idx").on(t.transactionId, t.kind),
    index("reconcile_differences_state_idx").on(
      t.state,
      t.lastSeenAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
  ],
);
export type ReconcileDifference = typeof reconcileDifferences.$inferSelect;

/** When the watchdog last asked SkinsBack about a deposit (once per deposit per interval). */
export const watchdogChecks = pgTable("watchdog_checks", {
  transactionId: text("transaction_id").primaryKey(),
  checkedAt: timestamptz("checked_at").notNull(),
  checks: integer("checks").notNull().default(1),
});

export const ALERT_CHANNEL_KINDS = ["email", "slack", "discord", "telegram", "webhook"] as const;
export type AlertChannelKind = (typeof ALERT_CHANNEL_KINDS)[number];
export const ALERT_INCIDENT_STATES = ["open", "acknowledged", "resolved"] as const;
export type AlertIncidentState = (typeof ALERT_INCIDENT_STATES)[number];
export const ALERT_MESSAGE_KINDS = ["opened", "reminder", "resolved", "test"] as const;
export type AlertMessageKind = (typeof ALERT_MESSAGE_KINDS)[number];
export const ALERT_MESSAGE_STATES = ["waiting", "sent", "failed"] as const;

/**
 * Where alerts go. `target` holds what may be shown (an address, a chat id, an API base URL); `secret` what may
 * not (a Slack or Discord webhook URL, an SMTP URL with its password, a bot token, a signing secret): shown once,
 * when saved. `source`: `console` (an admin made it) or `environment` (CONSOLE_ALERT_*, updated at start).
 */
export const alertChannels = pgTable(
  "alert_channels",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    kind: text("kind").$type<AlertChannelKind>().notNull(),
    target: jsonb("target").$type<Record<string, string>>().notNull(),
    secret: text("secret").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    source: text("source").$type<"console" | "environment">().notNull().default("console"),
    allowPrivateNetwork: boolean("allow_private_network").notNull().default(false),
    createdBy: text("created_by").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    /** The rate limit's window: messages sent since `window_started_at`. */
    windowStartedAt: timestamptz("window_started_at"),
    sentInWindow: integer("sent_in_window").notNull().default(0),
  },
  (t) => [
    check("alert_channels_kind_check", oneOf(t.kind, ALERT_CHANNEL_KINDS)),
    uniqueIndex("alert_channels_name_idx").on(t.name),
  ],
);
export type AlertChannel = typeof alertChannels.$inferSelect;

/**
 * A rule's condition seen true for a subject since `since` (Grafana's pending period): an incident opens only
 * once it has held for the rule's "for" minutes. Deleted when the condition is false again.
 */
export const alertConditions = pgTable(
  "alert_conditions",
  {
    rule: text("rule").notNull(),
    subject: text("subject").notNull(),
    since: timestamptz("since").notNull(),
  },
  (t) => [primaryKey({ columns: [t.rule, t.subject] })],
);

/** One incident per (rule, subject) while it is not resolved: the partial unique index decides across instances. */
export const alertIncidents = pgTable(
  "alert_incidents",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    rule: text("rule").notNull(),
    subject: text("subject").notNull(),
    state: text("state").$type<AlertIncidentState>().notNull().default("open"),
    title: text("title").notNull(),
    detail: text("detail").notNull(),
    /** A path in the console to look at (built by the rule, from our own ids). */
    link: text("link"),
    openedAt: timestamptz("opened_at").notNull(),
    lastNotifiedAt: timestamptz("last_notified_at").notNull(),
    reminders: integer("reminders").notNull().default(0),
    acknowledgedAt: timestamptz("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    resolvedAt: timestamptz("resolved_at"),
  },
  (t) => [
    check("alert_incidents_state_check", oneOf(t.state, ALERT_INCIDENT_STATES)),
    uniqueIndex("alert_incidents_open_idx").on(t.rule, t.subject).where(sql`${t.state} <> 'resolved'`),
    index("alert_incidents_opened_idx").on(t.openedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);
export type AlertIncident = typeof alertIncidents.$inferSelect;

/** An incident's history: opened, reminded, acknowledged, resolved, and each message's fate. */
export const alertIncidentEvents = pgTable(
  "alert_incident_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: bigint("incident_id", { mode: "number" })
      .notNull()
      .references(() => alertIncidents.id),
    at: timestamptz("at").notNull(),
    kind: text("kind").notNull(),
    detail: text("detail").notNull(),
  },
  (t) => [index("alert_incident_events_incident_idx").on(t.incidentId, t.id)],
);

/** The alerts' outbox: one row per (message, channel), claimed with a lease and retried like forwarding. */
export const alertMessages = pgTable(
  "alert_messages",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: bigint("incident_id", { mode: "number" }).references(() => alertIncidents.id),
    channelId: bigint("channel_id", { mode: "number" })
      .notNull()
      .references(() => alertChannels.id, { onDelete: "cascade" }),
    kind: text("kind").$type<AlertMessageKind>().notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
    state: text("state").$type<(typeof ALERT_MESSAGE_STATES)[number]>().notNull().default("waiting"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull(),
    leaseUntil: timestamptz("lease_until"),
    /** The token of the claim that holds the lease (lib/db/lease.ts): every write of the sender checks it. */
    leaseToken: text("lease_token"),
    lastError: text("last_error"),
    createdAt: timestamptz("created_at").notNull(),
    sentAt: timestamptz("sent_at"),
  },
  (t) => [
    check("alert_messages_kind_check", oneOf(t.kind, ALERT_MESSAGE_KINDS)),
    check("alert_messages_state_check", oneOf(t.state, ALERT_MESSAGE_STATES)),
    index("alert_messages_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'waiting'`),
  ],
);
export type AlertMessage = typeof alertMessages.$inferSelect;
