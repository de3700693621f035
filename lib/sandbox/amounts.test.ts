import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareDecimal } from "@/lib/money/decimal";
import { depositObject, type SandboxDeposit } from "./engine";
import { CURRENCY_RATES, fromUsd } from "./world";

/**
 * The sandbox's money agrees with itself: a deposit's amount and user amount in its own currency are the same
 * figures its `*_in_currencies` blocks carry for that currency (one exact computation, rounded once).
 */
describe("the sandbox's amounts", () => {
  it("amount = amount_in_currencies[currency] and user_amount = user_amount_in_currencies[currency]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.constantFrom(...Object.keys(CURRENCY_RATES)),
        fc.constantFrom("2", "1.5", "1.25", "0.75"),
        (cents, currency, multiplier) => {
          const amountUsd = (cents / 100).toFixed(2);
          const d = {
            transactionId: 1,
            orderId: "o",
            steamId: "76561198000000001",
            status: "success",
            currency,
            amountUsd,
            amount: fromUsd(amountUsd, currency),
            multiplier,
            holdFlow: false,
            createdAt: new Date("2030-01-01T00:00:00Z"),
          } as unknown as SandboxDeposit;
          const o = depositObject(d);
          expect(compareDecimal(o.amount as string, o.amount_in_currencies?.[currency] as string)).toBe(0);
          expect(
            compareDecimal(o.user_amount as string, o.user_amount_in_currencies?.[currency] as string),
            `${amountUsd} USD ×${multiplier} in ${currency}`,
          ).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
