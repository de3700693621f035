import { describe, expect, it } from "vitest";
import { addDecimal, compareDecimal, fromCents, multiplyDecimal } from "./decimal";

describe("decimal", () => {
  it("multiplies exactly where floats do not", () => {
    expect(multiplyDecimal("0.1", "3")).toBe("0.30");
    expect(0.1 * 3).not.toBe(0.3);
    expect(multiplyDecimal("121.50", "2")).toBe("243.00");
    expect(multiplyDecimal("19.99", "91.2345", 2)).toBe("1823.78");
    expect(multiplyDecimal("1.005", "1", 2)).toBe("1.01"); // half up (a float would give 1.00)
    expect(multiplyDecimal("-2.5", "1.5", 3)).toBe("-3.750");
    expect(multiplyDecimal("99999999999.99", "1000", 2)).toBe("99999999999990.00");
  });

  it("adds, compares and converts cents", () => {
    expect(addDecimal("0.10", "0.20")).toBe("0.30");
    expect(addDecimal("-1.00", "0.25")).toBe("-0.75");
    expect(compareDecimal("10.5", "10.50")).toBe(0);
    expect(compareDecimal("9.99", "10")).toBe(-1);
    expect(fromCents(5)).toBe("0.05");
    expect(fromCents(123456)).toBe("1234.56");
  });

  it("refuses non-decimal input", () => {
    expect(() => multiplyDecimal("1e5", "1")).toThrow(/not a plain decimal/);
    expect(() => addDecimal("NaN", "1")).toThrow();
  });
});
