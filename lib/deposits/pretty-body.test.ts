import { describe, expect, it } from "vitest";
import { prettyBody } from "./delivery-log";

describe("a delivery's body laid out for reading", () => {
  it("indents JSON and keeps every number exactly as sent", () => {
    expect(
      prettyBody(
        '{"amount":12.50,"transaction_id":90071992547409931,"status":"success"}',
        "application/json",
      ),
    ).toBe('{\n  "amount": 12.50,\n  "transaction_id": 90071992547409931,\n  "status": "success"\n}');
  });

  it("puts a form's fields one a line, decoded", () => {
    expect(prettyBody("status=success&order_id=a%20b&amount=1.10", "application/x-www-form-urlencoded")).toBe(
      "status = success\norder_id = a b\namount = 1.10",
    );
  });

  it("leaves what is neither as it is", () => {
    expect(prettyBody("{not json", "application/json")).toBeNull();
    expect(prettyBody("hello world", "text/plain")).toBeNull();
  });
});
