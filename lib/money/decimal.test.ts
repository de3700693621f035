import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDecimal,
  compareDecimal,
  fromCents,
  multiplyDecimal,
  percentDecimal,
  roundDecimal,
  subtractDecimal,
} from "./decimal";

/**
 * The reference is BigInt on scaled integers — a different implementation that cannot round by accident —
 * and fast-check draws the inputs: signs, long integer parts, long fractions, zeros.
 */
const REFERENCE_SCALE = 24;

function scaled(value: string, scale = REFERENCE_SCALE): bigint {
  const [, sign, whole, fraction = ""] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value) ?? [];
  if (whole === undefined || fraction.length > scale) throw new Error(`reference cannot hold ${value}`);
  const magnitude = BigInt(whole + fraction.padEnd(scale, "0"));
  return sign === "-" ? -magnitude : magnitude;
}

/** value / 10^drop, rounded half away from zero. */
function roundAway(value: bigint, drop: number): bigint {
  const divisor = 10n ** BigInt(drop);
  const half = divisor / 2n;
  return value >= 0n ? (value + half) / divisor : -((-value + half) / divisor);
}

const plainDecimal = fc
  .record({
    negative: fc.boolean(),
    whole: fc.bigInt({ min: 0n, max: 10n ** 20n }),
    fraction: fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 10 }),
  })
  .map(({ negative, whole, fraction }) => `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`);

describe("decimal", () => {
  it("keeps every digit of a sum (the named bug: each operand was rounded first)", () => {
    expect(addDecimal("0.004", "0.004")).toBe("0.008");
    expect(addDecimal("0.123456", "0.000001")).toBe("0.123457");
    expect(addDecimal("-1.00", "0.25")).toBe("-0.75");
    expect(addDecimal("-0.5", "0.5")).toBe("0");
    expect(subtractDecimal("10", "0.001")).toBe("9.999");
  });

  it("add and subtract equal the BigInt reference, for any two decimals", () => {
    fc.assert(
      fc.property(plainDecimal, plainDecimal, (a, b) => {
        expect(scaled(addDecimal(a, b))).toBe(scaled(a) + scaled(b));
        expect(scaled(subtractDecimal(a, b))).toBe(scaled(a) - scaled(b));
      }),
      { numRuns: 2_000 },
    );
  });

  it("compare equals the BigInt reference, whatever the trailing zeros", () => {
    expect(compareDecimal("10.5", "10.50")).toBe(0);
    fc.assert(
      fc.property(plainDecimal, plainDecimal, (a, b) => {
        const [x, y] = [scaled(a), scaled(b)];
        expect(compareDecimal(a, b)).toBe(x < y ? -1 : x > y ? 1 : 0);
        expect(compareDecimal(a, `${a}${a.includes(".") ? "" : "."}000`)).toBe(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it("multiply rounds the exact product once, half away from zero, as the reference does", () => {
    expect(multiplyDecimal("19.99", "91.2345")).toBe("1823.78");
    expect(multiplyDecimal("1.005", "1")).toBe("1.01");
    expect(multiplyDecimal("-2.5", "1.5", 3)).toBe("-3.750");
    expect(multiplyDecimal("0.123456789", "1", 8)).toBe("0.12345679");
    fc.assert(
      fc.property(plainDecimal, plainDecimal, fc.integer({ min: 0, max: 8 }), (a, b, scale) => {
        // The exact product has 2·REFERENCE_SCALE decimals; rounded to `scale`.
        const expected = roundAway(scaled(a) * scaled(b), 2 * REFERENCE_SCALE - scale);
        expect(scaled(multiplyDecimal(a, b, scale), scale)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it("percentages round once, half up, to one decimal", () => {
    expect(percentDecimal("2", "14")).toBe("14.3");
    expect(percentDecimal("1", "8")).toBe("12.5");
    expect(percentDecimal("1", "0")).toBeNull();
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (a, b) => {
          // a·1000 / b tenths of a percent, rounded half up.
          const expected = (a * 1000n * 2n + b) / (2n * b);
          expect(scaled(percentDecimal(String(a), String(b)) as string, 1)).toBe(expected);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("converts cents and refuses anything that is not a plain decimal", () => {
    expect(fromCents(5)).toBe("0.05");
    expect(roundDecimal("46.3")).toBe("46.30");
    expect(roundDecimal("0.005")).toBe("0.01");
    expect(fromCents(123456)).toBe("1234.56");
    expect(() => multiplyDecimal("1e5", "1")).toThrow(/not a plain decimal/);
    expect(() => addDecimal("NaN", "1")).toThrow(/not a plain decimal/);
    expect(() => addDecimal(" 1", "1")).toThrow(/not a plain decimal/);
  });
});
