import { describe, expect, it } from "vitest";
import { csvCell } from "./csv-cell";

describe("CSV cells", () => {
  it("defuse what a spreadsheet would run as a formula", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(csvCell(`${start}SUM(A1)`).replace(/^"|"$/g, "").startsWith(`'${start}`)).toBe(true);
    }
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
  it("quote every cell and keep its text exactly", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell("1234.50")).toBe('"1234.50"');
    expect(csvCell("-5.25")).toBe('"-5.25"');
    expect(csvCell("76561198000000042")).toBe('"76561198000000042"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date("2026-11-22T10:00:00Z"))).toBe('"2026-11-22T10:00:00.000Z"');
  });
});
