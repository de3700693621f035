import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assessRisk,
  DEFAULT_RISK_THRESHOLDS,
  type MerchantHistory,
  RISK_LEVELS,
  readRiskFacts,
} from "./assessment";

const NOW = new Date("2026-11-22T12:00:00Z");
/** A player this shop has credited before: its own signed record, which a low level needs. */
const CLEAN: MerchantHistory = { deposits: 5, successes: 5, holdsReturned: 0, exposed: [] };
const GOOD = {
  total_deposits_count: "40",
  total_deposits_sum: "1625.62",
  total_rollback_deposits_count: "0",
  total_rollback_deposits_sum: "0",
  joined_at: "2021-03-14 10:22:01",
  last_deposit_at: "2026-11-20 09:00:00",
  user_inventory: [{ last_updated_at: "2026-11-21 08:00:00", sum: "451.76" }],
};
const assess = (userRisk: unknown, history: MerchantHistory = CLEAN) =>
  assessRisk({ userRisk, history, now: NOW });

describe("risk assessment over a table of cases", () => {
  const CASES: { name: string; risk: unknown; history?: MerchantHistory; level: string; says: string[] }[] = [
    { name: "a long, clean record", risk: GOOD, level: "low", says: [] },
    {
      name: "a long, clean record at SkinsBack (unsigned) and none with this shop",
      risk: GOOD,
      history: { deposits: 0, successes: 0, holdsReturned: 0, exposed: [] },
      level: "medium",
      says: ["0 successful deposits with this shop (under 3): SkinsBack's figures alone are unsigned"],
    },
    {
      name: "2 rollbacks in 14 deposits",
      risk: {
        ...GOOD,
        total_deposits_count: "14",
        total_rollback_deposits_count: "2",
        total_rollback_deposits_sum: "20",
      },
      level: "high",
      says: ["2 rollbacks in 14 deposits (14.3 % by count, 1.2 % by money): high from 10 %"],
    },
    {
      name: "one small rollback in many deposits",
      risk: {
        ...GOOD,
        total_deposits_count: "80",
        total_rollback_deposits_count: "1",
        total_rollback_deposits_sum: "5",
      },
      level: "medium",
      says: ["1 rollback in 80 deposits (1.3 % by count, 0.3 % by money)"],
    },
    {
      name: "one large rollback by money",
      risk: {
        ...GOOD,
        total_deposits_count: "80",
        total_rollback_deposits_count: "1",
        total_rollback_deposits_sum: "400",
      },
      level: "high",
      says: ["24.6 % by money"],
    },
    {
      name: "account 9 days old",
      risk: { ...GOOD, joined_at: "2026-11-13 12:00:00" },
      level: "medium",
      says: ["account 9 days old (under 30)"],
    },
    {
      name: "account 2 days old",
      risk: { ...GOOD, joined_at: "2026-11-20" },
      level: "high",
      says: ["account 2 days old (under 7)"],
    },
    {
      name: "first deposit",
      risk: { ...GOOD, total_deposits_count: 1 },
      level: "medium",
      says: ["1 deposit on SkinsBack so far (under 3): no track record"],
    },
    {
      name: "returned a hold here before",
      risk: GOOD,
      history: { deposits: 3, successes: 1, holdsReturned: 1, exposed: [] },
      level: "high",
      says: ["returned 1 hold to this shop before"],
    },
    {
      name: "no block at all",
      risk: null,
      level: "medium",
      says: ["no risk data: SkinsBack sent no user_risk block"],
    },
    {
      name: "wrong types and hostile values",
      risk: {
        ...GOOD,
        total_deposits_count: -5,
        total_rollback_deposits_sum: "1e309",
        joined_at: "3026-01-01",
        user_inventory: "lots",
      },
      level: "medium",
      says: [
        "risk data incomplete or unreadable: total_deposits_count, total_rollback_deposits_sum, joined_at, user_inventory",
      ],
    },
    {
      name: "more rollbacks than deposits",
      risk: {
        ...GOOD,
        total_deposits_count: "3",
        total_rollback_deposits_count: "4",
        total_rollback_deposits_sum: "9",
      },
      level: "high",
      says: ["4 rollbacks in 3 deposits (133.3 % by count", "more than total_deposits_count"],
    },
    {
      name: "a 17-digit number where a count goes",
      risk: { ...GOOD, total_deposits_count: "76561198000000001" },
      level: "medium",
      says: ["unreadable: total_deposits_count"],
    },
  ];
  for (const c of CASES) {
    it(`${c.name} → ${c.level}`, () => {
      const result = assess(c.risk, c.history);
      expect(result.level).toBe(c.level);
      const text = result.reasons.map((r) => r.text).join(" | ");
      for (const phrase of c.says) expect(text).toContain(phrase);
      if (c.level === "low") expect(result.reasons).toEqual([]);
      expect(result.unsigned).toBe(true);
    });
  }

  it("reads the figures the panel shows: rates, ages, inventory per game in either documented shape", () => {
    const facts = readRiskFacts(
      { ...GOOD, user_inventory: { cs2: { sum: "120.50", last_updated_at: "2026-11-21 08:00:00" } } },
      NOW,
    );
    expect(facts).toMatchObject({
      depositsCount: 40,
      depositsSum: "1625.62",
      rollbackRateByCount: "0.0",
      accountAgeDays: Math.floor((NOW.getTime() - Date.parse("2021-03-14T10:22:01Z")) / 86_400_000),
      daysSinceLastDeposit: 2,
      inventory: [{ game: "cs2", sumUsd: "120.50" }],
      missing: [],
      odd: [],
    });
  });

  it("thresholds come from the settings: a stricter account age makes the same player high", () => {
    const risk = { ...GOOD, joined_at: "2026-11-13 12:00:00" };
    expect(
      assessRisk(
        { userRisk: risk, history: CLEAN, now: NOW },
        { ...DEFAULT_RISK_THRESHOLDS, highAccountAgeDays: 10 },
      ).level,
    ).toBe("high");
  });
});

describe("risk assessment on hostile input (property)", () => {
  const FIELDS = [
    "total_deposits_count",
    "total_deposits_sum",
    "total_rollback_deposits_count",
    "total_rollback_deposits_sum",
    "joined_at",
    "last_deposit_at",
    "user_inventory",
  ];
  it("any JSON value in any field → an assessment, never an exception", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue()),
          fc.record(Object.fromEntries(FIELDS.map((f) => [f, fc.jsonValue()])), { requiredKeys: [] }),
        ),
        fc.record({
          deposits: fc.nat(),
          successes: fc.nat(),
          holdsReturned: fc.nat(),
          exposed: fc.constant<MerchantHistory["exposed"]>([]),
        }),
        (risk, history) => {
          const result = assessRisk({ userRisk: risk, history, now: NOW });
          expect(RISK_LEVELS).toContain(result.level);
          for (const reason of result.reasons) expect(reason.text.length).toBeGreaterThan(0);
          // Whatever could not be read is named, and unread evidence is never "low".
          if (result.facts.odd.length > 0) expect(result.level).not.toBe("low");
          JSON.stringify(result); // renderable
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
