import { and, asc, eq, gt, gte, inArray, lte, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import {
  addDecimal,
  compareDecimal,
  multiplyDecimal,
  roundDecimal,
  subtractDecimal,
} from "@/lib/money/decimal";
import { toDepositWire } from "@/lib/skinsback/notification-builder";
import { approveHold, createDeposit, depositObject, PROJECT_MULTIPLIER, type SandboxContext } from "./engine";
import { sandboxCallbackErrors, sandboxDeposits, sandboxPurchases } from "./schema";
import {
  CATALOGUE,
  CURRENCY_RATES,
  drawScenario,
  fromUsd,
  hashSeed,
  inAllCurrencies,
  rng,
  userInventory,
} from "./world";

/**
 * The sandbox's methods, one handler per SkinsBack method, each answering what the protocol documents. The wire
 * protocol around them (signature, standard errors, the rate limit) is api.ts.
 */

/**
 * A method's own refusal, answered as SkinsBack answers it: `status: "error"` with the method's code and message
 * (the protocol's errors, not the console's AppError: the sandbox plays SkinsBack).
 */
export class SandboxMethodError extends Error {
  constructor(
    readonly code: number,
    readonly errorMessage: string,
  ) {
    super(errorMessage);
  }
}

export const PAGE_SIZE = 1000;

/**
 * A deposit's own `result_url`, when its origin is one the sandbox may post to (the console's own unless
 * SANDBOX_RESULT_URL_ORIGINS adds others). Sandbox only: real SkinsBack posts where the merchant's signed call
 * says, but the sandbox's secret is public, so its `create` would otherwise post signed notifications anywhere.
 */
export function allowedResultUrl(ctx: SandboxContext, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    throw new SandboxMethodError(9, "result_url_not_allowed");
  }
  if (!(ctx.resultUrlOrigins ?? [new URL(ctx.resultUrl).origin]).includes(origin)) {
    throw new SandboxMethodError(9, "result_url_not_allowed");
  }
  return url;
}

export type Params = Record<string, unknown>;

export type Handler = (ctx: SandboxContext, p: Params) => Promise<Record<string, unknown>>;

export const str = (p: Params, key: string): string | undefined => {
  const v = p[key];
  return typeof v === "string" && v !== "" ? v : undefined;
};

export const strings = (p: Params, key: string): string[] | undefined => {
  const v = p[key];
  if (Array.isArray(v)) return v.map(String);
  if (v && typeof v === "object") return Object.values(v).map(String); // form bodies: key[0]=…
  return undefined;
};

export async function findDeposit(ctx: SandboxContext, p: Params) {
  const transactionId = str(p, "transaction_id");
  const orderId = str(p, "order_id");
  if (!transactionId && !orderId) throw new SandboxMethodError(1, "order_id_or_transaction_id_missing");
  if (transactionId && !/^\d{1,15}$/.test(transactionId))
    throw new SandboxMethodError(3, "invalid_transaction_id");
  if (orderId && orderId.length > 255) throw new SandboxMethodError(2, "invalid_order_id");
  const [row] = await ctx.db
    .select()
    .from(sandboxDeposits)
    .where(
      transactionId
        ? eq(sandboxDeposits.transactionId, Number(transactionId))
        : eq(sandboxDeposits.orderId, orderId as string),
    );
  if (!row) throw new SandboxMethodError(4, "transaction_not_found");
  return row;
}

export function timeWindow(p: Params) {
  const starting = str(p, "starting");
  const ending = str(p, "ending");
  if (!starting || !ending || !/^\d+$/.test(starting) || !/^\d+$/.test(ending)) {
    throw new SandboxMethodError(1, "missing_starting_or_ending");
  }
  const startFrom = str(p, "start_from");
  return {
    from: new Date(Number(starting) * 1000),
    to: new Date(Number(ending) * 1000),
    after: startFrom && /^\d+$/.test(startFrom) ? Number(startFrom) : 0,
  };
}

/** orders and market_history: rows created inside [starting, ending], after the cursor, by id. */
export async function pageByWindow<T extends typeof sandboxDeposits | typeof sandboxPurchases>(
  ctx: SandboxContext,
  table: T,
  columns: { createdAt: PgColumn; id: PgColumn },
  p: Params,
): Promise<{ rows: T["$inferSelect"][]; total: number }> {
  const w = timeWindow(p);
  const where = and(gte(columns.createdAt, w.from), lte(columns.createdAt, w.to), gt(columns.id, w.after));
  const rows = await ctx.db
    .select()
    .from(table as typeof sandboxDeposits)
    .where(where)
    .orderBy(asc(columns.id))
    .limit(PAGE_SIZE + 1);
  const [total] = await ctx.db
    .select({ n: sql<string>`count(*)` })
    .from(table as typeof sandboxDeposits)
    .where(where);
  return { rows: rows as T["$inferSelect"][], total: Number(total?.n ?? 0) };
}

export function pageOf<T>(rows: T[], idOf: (row: T) => number, total: number) {
  const items = rows.slice(0, PAGE_SIZE);
  const last = items.at(-1);
  return {
    total_count: Math.min(total, PAGE_SIZE),
    has_more: rows.length > PAGE_SIZE,
    start_from: last ? idOf(last) : 0,
    items,
  };
}

export const validSteamId = (v: string | undefined) => v !== undefined && /^\d{17}$/.test(v);

export const validToken = (v: string | undefined) => v !== undefined && /^[A-Za-z0-9_-]{6,16}$/.test(v);

/**
 * The game a request names, as the sandbox's world knows it: `cs2`, `dota2`, `rust`, and `csgo`, the name public
 * SDKs still send for CS2 (docs/skinsback-protocol.md#game-codes). Anything else is undefined.
 */
export const GAME_ALIASES: Record<string, "cs2" | "dota2" | "rust"> = {
  cs2: "cs2",
  csgo: "cs2",
  dota2: "dota2",
  rust: "rust",
};

export const gameOf = (v: string | undefined) =>
  v !== undefined && Object.hasOwn(GAME_ALIASES, v) ? GAME_ALIASES[v] : undefined;

export async function balanceUsd(ctx: SandboxContext) {
  const [deals] = await ctx.db
    .select({ sum: sql<string>`coalesce(sum(${sandboxDeposits.amountUsd}), 0)::text` })
    .from(sandboxDeposits)
    .where(eq(sandboxDeposits.status, "success"));
  const [spent] = await ctx.db
    .select({ sum: sql<string>`coalesce(sum(${sandboxPurchases.priceUsd}), 0)::text` })
    .from(sandboxPurchases);
  const dealsSum = roundDecimal(deals?.sum ?? "0");
  const withdrawSum = roundDecimal(spent?.sum ?? "0");
  return {
    deals: dealsSum,
    withdrawn: withdrawSum,
    balance: roundDecimal(subtractDecimal(dealsSum, withdrawSum)),
  };
}

export function purchaseObject(row: typeof sandboxPurchases.$inferSelect) {
  return {
    item: row.item,
    buy_id: row.buyId,
    offer_status: row.offerStatus,
    balance_debited_sum: row.priceUsd,
    custom_id: row.customId,
    steamid: row.steamId,
    date: Math.floor(row.createdAt.getTime() / 1000),
    tradeofferid: row.tradeOfferId,
  };
}

export async function buyOne(
  ctx: SandboxContext,
  p: {
    partner?: string;
    token?: string;
    id?: string;
    name?: string;
    game?: string;
    max_price?: string;
    custom_id?: string;
  },
) {
  if (!p.partner || !p.token) throw new SandboxMethodError(3, "missing_partner_or_token");
  if (!p.id && !p.name) throw new SandboxMethodError(1, "missing_name_and_id");
  if (p.name && p.name.length < 3) throw new SandboxMethodError(2, "name_min_length_3");
  const item = CATALOGUE.find((i) => (p.id ? i.id === p.id : i.name === p.name && i.game === p.game));
  if (!item) throw new SandboxMethodError(5, "skin_unavailable");
  if (p.max_price && compareDecimal(item.price, p.max_price) > 0)
    throw new SandboxMethodError(6, "skins_not_found_at_specified_price");
  if (p.custom_id) {
    const [existing] = await ctx.db
      .select()
      .from(sandboxPurchases)
      .where(eq(sandboxPurchases.customId, p.custom_id));
    if (existing) throw new SandboxMethodError(7, "custom_id_already_exists");
  }
  const { balance } = await balanceUsd(ctx);
  if (compareDecimal(balance, item.price) < 0) throw new SandboxMethodError(4, "insufficient_funds");
  const steamId = String(76_561_197_960_265_728n + BigInt(p.partner));
  const [row] = await ctx.db
    .insert(sandboxPurchases)
    .values({
      customId: p.custom_id,
      item: { id: item.id, name: item.name, price: item.price, classid: item.classid },
      steamId,
      offerStatus: "creating_trade",
      priceUsd: item.price,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new SandboxMethodError(7, "custom_id_already_exists");
  return purchaseObject(row);
}

// --- methods -------------------------------------------------------------------------------------------------

export const HANDLERS: Record<string, Handler> = {
  async create(ctx, p) {
    const orderId = str(p, "order_id");
    if (!orderId || orderId.length > 255) throw new SandboxMethodError(1, "invalid_order_id");
    const steamId = str(p, "steam_id");
    if (steamId !== undefined && !validSteamId(steamId)) throw new SandboxMethodError(2, "invalid_steam_id");
    const tradeToken = str(p, "trade_token");
    if (tradeToken !== undefined && !validToken(tradeToken))
      throw new SandboxMethodError(3, "invalid_trade_token");
    const currency = str(p, "currency");
    if ((str(p, "min_amount") || str(p, "max_amount")) && !currency)
      throw new SandboxMethodError(4, "min_amount_requires_currency");
    if (currency && !CURRENCY_RATES[currency]) throw new SandboxMethodError(8, "invalid_currency");
    const [existing] = await ctx.db
      .select({ id: sandboxDeposits.transactionId })
      .from(sandboxDeposits)
      .where(eq(sandboxDeposits.orderId, orderId));
    if (existing) throw new SandboxMethodError(5, "order_id_already_exists");
    const random = rng(hashSeed(orderId));
    const deposit = await createDeposit(
      ctx,
      {
        orderId,
        steamId:
          steamId ?? `7656119${String(8_000_000_000 + Math.floor(random() * 999_999_999)).padStart(10, "0")}`,
        currency: currency ?? "usd",
        scenario: drawScenario(random, { historyApprovals: false }),
        createdAt: new Date(),
        resultUrl: allowedResultUrl(ctx, str(p, "result_url")),
      },
      random,
    );
    return {
      url: `${ctx.publicOrigin}/sandbox/pay/${deposit.transactionId}`,
      transaction_id: deposit.transactionId,
    };
  },

  async orderstatus(ctx, p) {
    // The deposit's own status takes the top-level `status` key (a documented trap for clients).
    return toDepositWire(depositObject(await findDeposit(ctx, p)));
  },

  async orders(ctx, p) {
    const { rows, total } = await pageByWindow(
      ctx,
      sandboxDeposits,
      { createdAt: sandboxDeposits.createdAt, id: sandboxDeposits.transactionId },
      p,
    );
    const page = pageOf(rows, (r) => r.transactionId, total);
    return { ...page, items: page.items.map((d) => toDepositWire(depositObject(d))) };
  },

  async offer_approve(ctx, p) {
    const deposit = await findDeposit(ctx, p);
    if (deposit.status !== "in_hold") throw new SandboxMethodError(5, "offer_already_approved_or_canceled");
    await approveHold(ctx, deposit, new Date());
    return {};
  },

  async callback_error_list(ctx, p) {
    const after = Number(str(p, "start_from") ?? 0) || 0;
    const rows = await ctx.db
      .select()
      .from(sandboxCallbackErrors)
      .where(gt(sandboxCallbackErrors.id, after))
      .orderBy(asc(sandboxCallbackErrors.id))
      .limit(PAGE_SIZE + 1);
    const [total] = await ctx.db
      .select({ n: sql<string>`count(*)` })
      .from(sandboxCallbackErrors)
      .where(gt(sandboxCallbackErrors.id, after));
    const page = pageOf(rows, (r) => r.id, Number(total?.n ?? 0));
    return {
      ...page,
      items: page.items.map((r) => ({
        transaction_id: r.transactionId,
        order_id: r.orderId,
        http_code: r.httpCode,
      })),
    };
  },

  async user_inventory(_ctx, p) {
    const game = gameOf(str(p, "game"));
    if (!game) throw new SandboxMethodError(1, "invalid_game");
    if (!validSteamId(str(p, "steam_id"))) throw new SandboxMethodError(2, "invalid_steam_id");
    if (!validToken(str(p, "trade_token"))) throw new SandboxMethodError(3, "invalid_trade_token");
    const currency = str(p, "currency") ?? "usd";
    const items = userInventory(
      game,
      str(p, "steam_id") as string,
      currency,
      str(p, "custom_multiplier") ?? PROJECT_MULTIPLIER,
    );
    return { data: { items, currency_local: currency } };
  },

  async create_from_user_inventory(ctx, p) {
    const game = gameOf(str(p, "game"));
    if (!game) throw new SandboxMethodError(1, "invalid_game");
    const steamId = str(p, "steam_id");
    if (!validSteamId(steamId)) throw new SandboxMethodError(2, "invalid_steam_id");
    if (!validToken(str(p, "trade_token"))) throw new SandboxMethodError(3, "invalid_trade_token");
    const orderId = str(p, "order_id");
    if (!orderId) throw new SandboxMethodError(8, "invalid_order_id");
    const currency = str(p, "currency") ?? "usd";
    const wanted = new Set(strings(p, "item_asset_ids") ?? []);
    const items = userInventory(game, steamId as string, currency, PROJECT_MULTIPLIER).filter(
      (i) => wanted.has(i.asset_id) && i.tradable && !i.disabled,
    );
    if (items.length === 0) throw new SandboxMethodError(4, "items_not_found");
    // SkinsBack writes money with two decimals.
    const sumUsd = roundDecimal(items.reduce((sum, i) => addDecimal(sum, i.price), "0"));
    if (compareDecimal(sumUsd, "0.50") < 0) throw new SandboxMethodError(5, "deposit_amount_less_minimum");
    const [existing] = await ctx.db
      .select({ id: sandboxDeposits.transactionId })
      .from(sandboxDeposits)
      .where(eq(sandboxDeposits.orderId, orderId));
    if (existing) throw new SandboxMethodError(7, "order_id_already_exists");
    const random = rng(hashSeed(orderId));
    const scenario = drawScenario(random, { historyApprovals: false });
    const deposit = await createDeposit(
      ctx,
      {
        orderId,
        steamId: steamId as string,
        currency,
        scenario: { ...scenario, game, holdFlow: game === "cs2" && scenario.holdFlow },
        createdAt: new Date(),
        amountUsd: sumUsd,
        resultUrl: allowedResultUrl(ctx, str(p, "result_url")),
      },
      random,
    );
    const local = fromUsd(sumUsd, currency);
    return {
      data: {
        transaction_id: deposit.transactionId,
        sum: sumUsd,
        local_sum: local,
        local_sum_multiplied: multiplyDecimal(local, PROJECT_MULTIPLIER),
        local_currency: currency,
        trade_offer_id: String(7_000_000_000 + deposit.transactionId),
        trade_offer_expiry_at: new Date(Date.now() + 600_000).toISOString().replace("Z", "000Z"),
        bot_steam_id: "76561199000000123",
        bot_name: "SkinsBack Sandbox Bot #3",
      },
    };
  },

  async market_pricelist(_ctx, p) {
    const game = gameOf(str(p, "game"));
    if (!game) throw new SandboxMethodError(1, "invalid_game");
    const items = CATALOGUE.filter((i) => i.game === game);
    const full = str(p, "full") === "1";
    return {
      last_update: Math.floor(Date.now() / 60_000) * 60,
      items: full
        ? items.map((i) => ({ id: i.id, name: i.name, price: i.price, classid: i.classid }))
        : items.map((i) => ({
            name: i.name,
            price: i.price,
            classid: i.classid,
            count: 1 + (hashSeed(i.name) % 40),
          })),
    };
  },

  async market_search(_ctx, p) {
    const game = gameOf(str(p, "game"));
    const name = str(p, "name");
    const names = strings(p, "names");
    if (!name && !names) throw new SandboxMethodError(1, "name_or_names_required");
    if (name && name.length < 3) throw new SandboxMethodError(2, "name_min_length_3");
    const needles = (names ?? [name as string]).map((n) => n.toLowerCase());
    const items = CATALOGUE.filter(
      (i) => (!game || i.game === game) && needles.some((n) => i.name.toLowerCase().includes(n)),
    );
    return { items: items.map((i) => ({ id: i.id, name: i.name, price: i.price, classid: i.classid })) };
  },

  async market_buy(ctx, p) {
    return buyOne(ctx, {
      partner: str(p, "partner"),
      token: str(p, "token"),
      id: str(p, "id"),
      name: str(p, "name"),
      game: gameOf(str(p, "game")),
      max_price: str(p, "max_price"),
      custom_id: str(p, "custom_id"),
    });
  },

  async market_batch_buy(ctx, p) {
    const raw = p.items;
    const items = (
      Array.isArray(raw) ? raw : raw && typeof raw === "object" ? Object.values(raw) : []
    ) as Params[];
    if (items.length === 0) throw new SandboxMethodError(1, "missing_name_and_id");
    const purchased: Record<string, unknown>[] = [];
    const unavailable: Record<string, unknown>[] = [];
    for (const item of items) {
      try {
        purchased.push(
          await buyOne(ctx, {
            partner: str(p, "partner"),
            token: str(p, "token"),
            id: str(item, "id"),
            max_price: str(item, "max_price"),
            custom_id: str(item, "custom_id"),
          }),
        );
      } catch (error) {
        if (!(error instanceof SandboxMethodError) || error.code <= 3) throw error;
        unavailable.push({ id: str(item, "id") ?? "", reason: error.errorMessage });
      }
    }
    return { purchased, unavailable };
  },

  async market_getinfo(ctx, p) {
    const buyId = str(p, "buy_id");
    const buyIds = strings(p, "buy_ids");
    const customIds = strings(p, "custom_ids");
    if (buyId) {
      const [row] = await ctx.db
        .select()
        .from(sandboxPurchases)
        .where(eq(sandboxPurchases.buyId, Number(buyId)));
      if (!row) throw new SandboxMethodError(2, "offer_not_found");
      return purchaseObject(row);
    }
    if (!buyIds && !customIds) throw new SandboxMethodError(1, "missing_buy_id");
    const rows = await ctx.db
      .select()
      .from(sandboxPurchases)
      .where(
        buyIds
          ? inArray(sandboxPurchases.buyId, buyIds.map(Number).filter(Number.isSafeInteger))
          : inArray(sandboxPurchases.customId, customIds as string[]),
      );
    return { items: rows.map(purchaseObject) };
  },

  async market_history(ctx, p) {
    const { rows, total } = await pageByWindow(
      ctx,
      sandboxPurchases,
      { createdAt: sandboxPurchases.createdAt, id: sandboxPurchases.buyId },
      p,
    );
    const page = pageOf(rows, (r) => r.buyId, total);
    return { ...page, items: page.items.map(purchaseObject) };
  },

  async balance(ctx) {
    const { balance, deals, withdrawn } = await balanceUsd(ctx);
    return {
      balance,
      balance_in_currencies: inAllCurrencies(balance),
      deals_sum: deals,
      deals_sum_in_currencies: inAllCurrencies(deals),
      withdraw_sum: withdrawn,
      withdraw_sum_in_currencies: inAllCurrencies(withdrawn),
    };
  },

  async currencies() {
    return {
      items: Object.entries(CURRENCY_RATES).map(([code, c]) => ({ code, name: c.name, rate: c.rate })),
    };
  },

  async status() {
    return { available: true };
  },
};
