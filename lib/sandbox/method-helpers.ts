import { and, asc, eq, gt, gte, lte, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { compareDecimal, roundDecimal, subtractDecimal } from "@/lib/money/decimal";
import type { SandboxContext } from "./engine";
import { sandboxDeposits, sandboxPurchases } from "./schema";
import { CATALOGUE } from "./world";

/**
 * What the sandbox's methods share: the protocol's refusal, parameter readers, deposit and purchase lookups, time
 * windows and pages, and buying. Each method is a file of its own in ./methods/, assembled in ./api-methods.ts.
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
