import { describe, expect, it } from "vitest";
import { formatBudgetTime, formatMoney } from "./format";

describe("formatMoney", () => {
  it("separates thousands and shows at least two decimals, exactly as given", () => {
    expect(formatMoney("12.5", "usd")).toBe("12.50 USD");
    expect(formatMoney("1625.62")).toBe("1,625.62");
    expect(formatMoney("1234567")).toBe("1,234,567.00");
    expect(formatMoney("0.123456", "btc")).toBe("0.123456 BTC");
    expect(formatMoney("-1000.1")).toBe("-1,000.10");
    expect(formatMoney("123456789012345678901234.5")).toBe("123,456,789,012,345,678,901,234.50");
  });
  it("shows what is not a plain decimal as it came, and a dash for nothing", () => {
    expect(formatMoney("1e3")).toBe("1e3");
    expect(formatMoney(null)).toBe("—");
    expect(formatMoney("")).toBe("—");
  });
});

describe("formatBudgetTime: a bulk replay's time at 500 calls a minute", () => {
  it("says seconds for a few rows and minutes for thousands", () => {
    expect(formatBudgetTime(1)).toBe("about 1 second");
    expect(formatBudgetTime(13)).toBe("about 2 seconds");
    expect(formatBudgetTime(500)).toBe("about 60 seconds");
    expect(formatBudgetTime(1_500)).toBe("about 3 minutes");
  });
});
