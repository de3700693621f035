import { fromCents, multiplyDecimal } from "@/lib/money/decimal";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";

/**
 * The sandbox's made-up world: currencies, a skin catalogue, user inventories and deposit scenarios.
 * Deterministic where a test or a repeated call needs it (seeded by ids), varied everywhere else.
 */

/** mulberry32: small, fast, good enough for simulation; the same seed gives the same sequence. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/** Units of each currency per 1 USD. */
export const CURRENCY_RATES: Record<string, { name: string; rate: string }> = {
  usd: { name: "US Dollar", rate: "1" },
  eur: { name: "Euro", rate: "0.92" },
  rub: { name: "Russian Ruble", rate: "92.75" },
  uah: { name: "Ukrainian Hryvnia", rate: "41.20" },
  cny: { name: "Chinese Yuan", rate: "7.24" },
  kzt: { name: "Kazakhstani Tenge", rate: "505.30" },
  brl: { name: "Brazilian Real", rate: "5.42" },
};

export function inAllCurrencies(usd: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CURRENCY_RATES).map(([code, c]) => [code, multiplyDecimal(usd, c.rate)]),
  );
}

export function fromUsd(usd: string, currency: string): string {
  return multiplyDecimal(usd, CURRENCY_RATES[currency]?.rate ?? "1");
}

export type CatalogueItem = {
  id: string;
  name: string;
  price: string;
  classid: string;
  game: "cs2" | "dota2" | "rust";
};

const SKINS: [string, "cs2" | "dota2" | "rust", number][] = [
  ["AK-47 | Redline (Field-Tested)", "cs2", 1845],
  ["AWP | Asiimov (Battle-Scarred)", "cs2", 7420],
  ["M4A1-S | Printstream (Minimal Wear)", "cs2", 21490],
  ["★ Karambit | Doppler (Factory New)", "cs2", 152300],
  ["Glock-18 | Water Elemental (Field-Tested)", "cs2", 512],
  ["USP-S | Kill Confirmed (Well-Worn)", "cs2", 6390],
  ["Desert Eagle | Blaze (Factory New)", "cs2", 61200],
  ["AK-47 | Slate (Field-Tested)", "cs2", 318],
  ["Operation Breakout Weapon Case", "cs2", 402],
  ["Sticker | Natus Vincere (Holo) | Paris 2023", "cs2", 96],
  ["Arcana: Manifold Paradox", "dota2", 2750],
  ["Immortal: Golden Basher Blades", "dota2", 4410],
  ["Genuine Fractal Horns of Inner Abysm", "dota2", 3890],
  ["Treasure of the Cryptic Beacon", "dota2", 220],
  ["Tempest Assault Rifle", "rust", 1260],
  ["Alien Red Door", "rust", 845],
  ["Glory AK47", "rust", 3125],
  ["Big Grin Garage Door", "rust", 512],
];

export const CATALOGUE: CatalogueItem[] = SKINS.map(([name, game, cents], i) => ({
  id: String(2500 + i),
  name,
  price: fromCents(cents),
  classid: String(310_776_000 + i * 37),
  game,
}));

export type InventoryItem = {
  asset_id: string;
  name: string;
  price: string;
  price_local: string;
  multiplied_price_local: string;
  tradable: boolean;
  disabled: boolean;
  app_id: string;
  class_id: string;
};

const APP_IDS = { cs2: "730", dota2: "570", rust: "252490" } as const;

/** The same user always has the same inventory (until they deposit it, which the sandbox does not track). */
export function userInventory(
  game: "cs2" | "dota2" | "rust",
  steamId: string,
  currency: string,
  multiplier: string,
): InventoryItem[] {
  const random = rng(hashSeed(`${game}:${steamId}`));
  const pool = CATALOGUE.filter((item) => item.game === game);
  const count = 3 + Math.floor(random() * 6);
  return Array.from({ length: count }, (_, i) => {
    const item = pick(random, pool);
    const local = fromUsd(item.price, currency);
    return {
      asset_id: String(36_542_291_000 + (hashSeed(`${steamId}:${i}`) % 1_000_000)),
      name: item.name,
      price: item.price,
      price_local: local,
      multiplied_price_local: multiplyDecimal(local, multiplier),
      tradable: random() > 0.1,
      disabled: random() < 0.05,
      app_id: APP_IDS[game],
      class_id: item.classid,
    };
  });
}

/** A varied, plausible user_risk block for an in_hold notification. */
export function riskBlock(random: () => number, now: Date): Record<string, unknown> {
  const risky = random() < 0.25;
  const count = risky ? Math.floor(random() * 4) : 3 + Math.floor(random() * 80);
  const rollbacks = risky ? 1 + Math.floor(random() * 4) : random() < 0.1 ? 1 : 0;
  const joined = new Date(now.getTime() - (risky ? random() * 40 : 200 + random() * 2500) * 86_400_000);
  const last = new Date(now.getTime() - random() * 30 * 86_400_000);
  const stamp = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");
  return {
    total_deposits_count: count,
    total_deposits_sum: fromCents(Math.floor(count * (500 + random() * 9000))),
    total_rollback_deposits_count: rollbacks,
    total_rollback_deposits_sum: fromCents(Math.floor(rollbacks * (1000 + random() * 20000))),
    joined_at: stamp(joined),
    last_deposit_at: stamp(last),
    user_inventory: [
      { last_updated_at: stamp(last), sum: fromCents(Math.floor(random() * (risky ? 5000 : 400000))) },
    ],
  };
}

export type Scenario = {
  game: "cs2" | "dota2" | "rust";
  holdFlow: boolean;
  plan: DepositStatus[];
  reason?: string;
};

/**
 * What will happen to a new deposit, drawn once: the statuses after `pending`. CS2 deposits go through
 * Steam Trade Protection (in_hold); approval early (hold_approved) only happens when the merchant calls
 * offer_approve, except in the seeded history where some merchants did.
 */
export function drawScenario(random: () => number, options: { historyApprovals: boolean }): Scenario {
  const game = random() < 0.6 ? "cs2" : random() < 0.6 ? "dota2" : "rust";
  const failReason = pick(random, ["timeout", "timeout", "trade_timeout", "trade_canceled"] as const);
  if (random() < 0.18) return { game, holdFlow: false, plan: ["fail"], reason: failReason };
  if (game !== "cs2") return { game, holdFlow: false, plan: ["success"] };
  const roll = random();
  if (options.historyApprovals && roll < 0.25) {
    return {
      game,
      holdFlow: true,
      plan: ["in_hold", "hold_approved", random() < 0.08 ? "hold_returned" : "success"],
    };
  }
  if (roll < 0.32) return { game, holdFlow: true, plan: ["in_hold", "fail"], reason: "trade_canceled" };
  return { game, holdFlow: true, plan: ["in_hold", "success"] };
}

/** A deposit amount in USD: many small ones, a few large. */
export function drawAmountUsd(random: () => number): string {
  const r = random();
  const cents =
    r < 0.7 ? 100 + random() * 4900 : r < 0.95 ? 5000 + random() * 45000 : 50000 + random() * 450000;
  return fromCents(Math.floor(cents));
}
