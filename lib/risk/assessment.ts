import { z } from "zod";
import { percentDecimal } from "@/lib/money/decimal";

/**
 * The risk of approving a held deposit early, in plain words: a pure function of the unsigned `user_risk` block
 * SkinsBack sends with `in_hold`, the deposit, and this merchant's own history with the player.
 *
 * `user_risk` is not covered by the signature (docs/skinsback-protocol.md#unsigned): every value is untrusted input. Any JSON in any
 * field gives an assessment, never an exception; what cannot be read is listed as missing or odd, and missing
 * evidence is itself a reason (the level never drops below medium without it).
 */

export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Every threshold in one place; admins change them on the settings page (audited). */
export const riskThresholdsSchema = z.strictObject({
  /** Rolled-back share of the player's deposits (by count or by money) from which the risk is high, in %. */
  highRollbackPercent: z.number().min(0).max(100),
  /** Any rollback at all makes the risk at least medium. */
  mediumRollbacks: z.number().int().min(1).max(1_000),
  /** A SkinsBack account younger than this (days) is high risk… */
  highAccountAgeDays: z.number().int().min(0).max(3_650),
  /** …and younger than this, medium. */
  mediumAccountAgeDays: z.number().int().min(0).max(3_650),
  /** Fewer earlier deposits (all projects) than this is medium: no track record. */
  mediumFewDeposits: z.number().int().min(0).max(1_000),
  /** Holds this player returned to this merchant before, from which the risk is high. */
  highReturnedHere: z.number().int().min(1).max(1_000),
});
export type RiskThresholds = z.infer<typeof riskThresholdsSchema>;

export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = {
  highRollbackPercent: 10,
  mediumRollbacks: 1,
  highAccountAgeDays: 7,
  mediumAccountAgeDays: 30,
  mediumFewDeposits: 3,
  highReturnedHere: 1,
};

/** What this merchant knows of the player (by Steam id) from its own deposits. */
export type MerchantHistory = {
  deposits: number;
  successes: number;
  holdsReturned: number;
  /** Money released early and not final yet, per currency (exact decimal text). */
  exposed: { currency: string; amount: string }[];
};

export type InventoryFigure = { game: string; sumUsd: string | null; updatedAt: Date | null };

/** A player this shop has never seen. */
export const NO_HISTORY: MerchantHistory = Object.freeze({
  deposits: 0,
  successes: 0,
  holdsReturned: 0,
  exposed: [],
});

/** `user_risk` as read: a value, or null with the field named in `missing` / `odd`. */
export type RiskFacts = {
  depositsCount: number | null;
  depositsSum: string | null;
  rollbacksCount: number | null;
  rollbacksSum: string | null;
  joinedAt: Date | null;
  lastDepositAt: Date | null;
  inventory: InventoryFigure[];
  /** Rolled-back share in %, one decimal, when both figures are known. */
  rollbackRateByCount: string | null;
  rollbackRateByMoney: string | null;
  accountAgeDays: number | null;
  daysSinceLastDeposit: number | null;
  /** Fields absent from the block. */
  missing: string[];
  /** Fields present but unreadable (wrong type, negative, absurd). */
  odd: string[];
};

export type RiskReason = { rule: string; level: RiskLevel; text: string };
export type RiskAssessment = { level: RiskLevel; reasons: RiskReason[]; facts: RiskFacts; unsigned: true };

const FIELDS = {
  depositsCount: "total_deposits_count",
  depositsSum: "total_deposits_sum",
  rollbacksCount: "total_rollback_deposits_count",
  rollbacksSum: "total_rollback_deposits_sum",
  joinedAt: "joined_at",
  lastDepositAt: "last_deposit_at",
  inventory: "user_inventory",
} as const;

/** Counts above this are not believed (no player has a billion deposits). */
const MAX_COUNT = 1_000_000_000;
const DECIMAL = /^\d{1,15}(\.\d{1,8})?$/;
const DAY_MS = 86_400_000;

function readCount(value: unknown): number | null | "odd" {
  if (value === undefined || value === null || value === "") return null;
  const text =
    typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : undefined;
  if (text === undefined || !/^\d{1,10}$/.test(text)) return "odd";
  const n = Number(text);
  return n <= MAX_COUNT ? n : "odd";
}

function readDecimal(value: unknown): string | null | "odd" {
  if (value === undefined || value === null || value === "") return null;
  const text =
    typeof value === "number" && Number.isFinite(value)
      ? String(value)
      : typeof value === "string"
        ? value.trim()
        : undefined;
  return text !== undefined && DECIMAL.test(text) ? text : "odd";
}

/** "2021-03-14 10:22:01" (SkinsBack names no zone: read as UTC, which is exact enough for days). */
function readDate(value: unknown, now: Date): Date | null | "odd" {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string" || !/^\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d)?)?$/.test(value.trim()))
    return "odd";
  const date = new Date(`${value.trim().replace(" ", "T")}${value.trim().length > 10 ? "" : "T00:00:00"}Z`);
  // Before SkinsBack existed or in the future (a day of clock slack): not believed.
  if (
    Number.isNaN(date.getTime()) ||
    date.getUTCFullYear() < 2010 ||
    date.getTime() > now.getTime() + DAY_MS
  ) {
    return "odd";
  }
  return date;
}

function readInventory(value: unknown, now: Date, odd: string[]): InventoryFigure[] {
  // The notification page documents an array (no game named), the hold page an object keyed by game.
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.slice(0, 20).map((entry, i) => [`inventory ${i + 1}`, entry])
    : value && typeof value === "object"
      ? Object.entries(value as Record<string, unknown>).slice(0, 20)
      : [];
  // Present, but neither shape (a number, a string…).
  if (value !== undefined && value !== null && typeof value !== "object") odd.push(FIELDS.inventory);
  return entries.map(([game, entry]) => {
    const record =
      entry && typeof entry === "object" && !Array.isArray(entry) ? (entry as Record<string, unknown>) : {};
    const sum = readDecimal(record.sum);
    const updated = readDate(record.last_updated_at, now);
    if (sum === "odd" || updated === "odd" || !(entry && typeof entry === "object"))
      odd.push(`${FIELDS.inventory}.${game.slice(0, 40)}`);
    return {
      game: game.slice(0, 40),
      sumUsd: sum === "odd" ? null : sum,
      updatedAt: updated === "odd" ? null : updated,
    };
  });
}

export function readRiskFacts(userRisk: unknown, now: Date): RiskFacts {
  const block =
    userRisk && typeof userRisk === "object" && !Array.isArray(userRisk)
      ? (userRisk as Record<string, unknown>)
      : {};
  const missing: string[] = [];
  const odd: string[] = [];
  function take<T>(field: string, read: (v: unknown) => T | null | "odd"): T | null {
    const value = block[field];
    const result = read(value);
    if (result === null) missing.push(field);
    if (result === "odd") odd.push(field);
    return result === "odd" ? null : result;
  }
  const depositsCount = take(FIELDS.depositsCount, readCount);
  const depositsSum = take(FIELDS.depositsSum, readDecimal);
  const rollbacksCount = take(FIELDS.rollbacksCount, readCount);
  const rollbacksSum = take(FIELDS.rollbacksSum, readDecimal);
  const joinedAt = take(FIELDS.joinedAt, (v) => readDate(v, now));
  const lastDepositAt = take(FIELDS.lastDepositAt, (v) => readDate(v, now));
  if (block[FIELDS.inventory] === undefined || block[FIELDS.inventory] === null)
    missing.push(FIELDS.inventory);
  const inventory = readInventory(block[FIELDS.inventory], now, odd);
  // More rollbacks than deposits cannot be true: the figures are shown, but they are not evidence.
  if (rollbacksCount !== null && depositsCount !== null && rollbacksCount > depositsCount) {
    odd.push("total_rollback_deposits_count (more than total_deposits_count)");
  }
  const days = (d: Date | null) =>
    d ? Math.max(0, Math.floor((now.getTime() - d.getTime()) / DAY_MS)) : null;
  return {
    depositsCount,
    depositsSum,
    rollbacksCount,
    rollbacksSum,
    joinedAt,
    lastDepositAt,
    inventory,
    rollbackRateByCount:
      rollbacksCount !== null && depositsCount !== null
        ? percentDecimal(String(rollbacksCount), String(depositsCount))
        : null,
    rollbackRateByMoney:
      rollbacksSum !== null && depositsSum !== null ? percentDecimal(rollbacksSum, depositsSum) : null,
    accountAgeDays: days(joinedAt),
    daysSinceLastDeposit: days(lastDepositAt),
    missing,
    odd,
  };
}

const atLeast = (rate: string | null, threshold: number) => rate !== null && Number(rate) >= threshold;

export function assessRisk(
  input: { userRisk: unknown; history: MerchantHistory; now: Date },
  thresholds: RiskThresholds = DEFAULT_RISK_THRESHOLDS,
): RiskAssessment {
  const facts = readRiskFacts(input.userRisk, input.now);
  const reasons: RiskReason[] = [];
  const fire = (rule: string, level: RiskLevel, text: string) => reasons.push({ rule, level, text });
  const t = thresholds;

  const rollbacks = facts.rollbacksCount;
  const deposits = facts.depositsCount;
  if (rollbacks !== null && rollbacks >= t.mediumRollbacks) {
    const high =
      atLeast(facts.rollbackRateByCount, t.highRollbackPercent) ||
      atLeast(facts.rollbackRateByMoney, t.highRollbackPercent);
    const rates = [
      facts.rollbackRateByCount && `${facts.rollbackRateByCount} % by count`,
      facts.rollbackRateByMoney && `${facts.rollbackRateByMoney} % by money`,
    ].filter(Boolean);
    fire(
      "rollbacks",
      high ? "high" : "medium",
      `${rollbacks} rollback${rollbacks === 1 ? "" : "s"} in ${deposits ?? "an unknown number of"} deposits` +
        (rates.length ? ` (${rates.join(", ")})` : "") +
        (high ? `: high from ${t.highRollbackPercent} %` : ""),
    );
  }
  if (facts.accountAgeDays !== null) {
    if (facts.accountAgeDays < t.highAccountAgeDays) {
      fire("account-age", "high", `account ${facts.accountAgeDays} days old (under ${t.highAccountAgeDays})`);
    } else if (facts.accountAgeDays < t.mediumAccountAgeDays) {
      fire(
        "account-age",
        "medium",
        `account ${facts.accountAgeDays} days old (under ${t.mediumAccountAgeDays})`,
      );
    }
  }
  if (deposits !== null && deposits < t.mediumFewDeposits) {
    fire(
      "few-deposits",
      "medium",
      `${deposits} deposit${deposits === 1 ? "" : "s"} on SkinsBack so far (under ${t.mediumFewDeposits}): no track record`,
    );
  }
  // user_risk is unsigned: whoever replays a refused body with a clean block must not make a deposit low. Low
  // needs this shop's own record too (signed deposits it credited), at least as many as SkinsBack's track record.
  if (input.history.successes < t.mediumFewDeposits) {
    fire(
      "few-deposits-here",
      "medium",
      `${input.history.successes} successful deposit${input.history.successes === 1 ? "" : "s"} with this shop (under ${t.mediumFewDeposits}): SkinsBack's figures alone are unsigned`,
    );
  }
  if (input.history.holdsReturned >= t.highReturnedHere) {
    fire(
      "returned-here",
      "high",
      `returned ${input.history.holdsReturned} hold${input.history.holdsReturned === 1 ? "" : "s"} to this shop before`,
    );
  }
  const unreadable = [...facts.missing.filter((f) => f !== FIELDS.inventory), ...facts.odd];
  if (unreadable.length > 0) {
    const none = facts.missing.length >= Object.keys(FIELDS).length;
    fire(
      "evidence",
      "medium",
      none
        ? "no risk data: SkinsBack sent no user_risk block"
        : `risk data incomplete or unreadable: ${unreadable.slice(0, 6).join(", ")}`,
    );
  }
  const level: RiskLevel = reasons.some((r) => r.level === "high")
    ? "high"
    : reasons.some((r) => r.level === "medium")
      ? "medium"
      : "low";
  return { level, reasons, facts, unsigned: true };
}
