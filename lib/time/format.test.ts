import { describe, expect, it } from "vitest";
import { formatDuration, formatUtc } from "./format";

describe("times in the console's words", () => {
  it("durations read as a person says them: never '1 minutes'", () => {
    expect(formatDuration(60_000)).toBe("1 minute");
    expect(formatDuration(30_000)).toBe("1 minute");
    expect(formatDuration(20_000)).toBe("less than a minute");
    expect(formatDuration(45 * 60_000)).toBe("45 minutes");
    expect(formatDuration(5 * 3_600_000)).toBe("5 hours");
    expect(formatDuration(3 * 86_400_000)).toBe("3 days");
  });

  it("UTC in one fixed form, never raw ISO", () => {
    expect(formatUtc(new Date("2026-12-07T22:24:05.123Z"))).toBe("2026-12-07 22:24:05 UTC");
    expect(formatUtc(null)).toBe("—");
    expect(formatUtc("not a time")).toBe("—");
  });
});
