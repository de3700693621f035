import { describe, expect, it } from "vitest";
import { DEPOSIT_STATUSES, type DepositStatus } from "@/lib/skinsback/deposit-status";
import { judgeObservation, type ObservationOutcome } from "./status-machine";

// Written out by hand from docs/skinsback-protocol.md#state-machine, not derived from the implementation.
// Rows: the deposit's current status; columns: the incoming notification's status.
const A = "applied";
const D = "duplicate";
const S = "stale";
const C = "conflict";
const TABLE: Record<DepositStatus | "none", Record<DepositStatus, ObservationOutcome>> = {
  //             pending  in_hold  hold_approved  success  fail  hold_returned
  none: { pending: A, in_hold: A, hold_approved: A, success: A, fail: A, hold_returned: A },
  pending: { pending: D, in_hold: A, hold_approved: A, success: A, fail: A, hold_returned: A },
  in_hold: { pending: S, in_hold: D, hold_approved: A, success: A, fail: A, hold_returned: A },
  hold_approved: { pending: S, in_hold: S, hold_approved: D, success: A, fail: C, hold_returned: A },
  success: { pending: S, in_hold: S, hold_approved: S, success: D, fail: C, hold_returned: C },
  fail: { pending: S, in_hold: S, hold_approved: C, success: C, fail: D, hold_returned: C },
  hold_returned: { pending: S, in_hold: S, hold_approved: S, success: C, fail: C, hold_returned: D },
};

describe("judgeObservation: every current status × every incoming status", () => {
  for (const current of ["none", ...DEPOSIT_STATUSES] as const) {
    for (const incoming of DEPOSIT_STATUSES) {
      const expected = TABLE[current][incoming];
      it(`${current} + ${incoming} → ${expected}`, () => {
        expect(judgeObservation(current === "none" ? undefined : current, incoming)).toBe(expected);
      });
    }
  }

  it("the table covers all 42 combinations", () => {
    const cells = Object.values(TABLE).flatMap((row) => Object.keys(row));
    expect(cells).toHaveLength(7 * DEPOSIT_STATUSES.length);
  });
});

describe("finality", () => {
  it("final statuses (success, fail, hold_returned) never move", () => {
    const finals = DEPOSIT_STATUSES.filter((status) =>
      DEPOSIT_STATUSES.every((incoming) => judgeObservation(status, incoming) !== "applied"),
    );
    expect(finals.sort()).toEqual(["fail", "hold_returned", "success"]);
  });
});
