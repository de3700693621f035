import { judgeObservation } from "@/lib/deposits/status-machine";
import { compareDecimal } from "@/lib/money/decimal";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";

/**
 * How one deposit as SkinsBack lists it compares with ours (pure). SkinsBack is the truth about money, but the
 * console never overwrites what it cannot explain: a status we are behind on is applied through the ingest call
 * (the state machine moves forward only), while a contradiction or a different amount is flagged for a person.
 */

export type DepositSide = { status: DepositStatus; amount: string | null; currency: string | null };

export type Verdict =
  | { action: "agree" }
  | { action: "apply"; kind: "missing" | "behind" }
  | { action: "flag"; kind: "contradiction" | "amount"; detail: string };

const FINAL: readonly DepositStatus[] = ["success", "fail", "hold_returned"];

export function compareDeposit(ours: DepositSide | undefined, theirs: DepositSide): Verdict {
  if (!ours) return { action: "apply", kind: "missing" };
  const judged = judgeObservation(ours.status, theirs.status);
  if (judged === "applied") return { action: "apply", kind: "behind" };
  if (judged === "conflict") {
    return {
      action: "flag",
      kind: "contradiction",
      detail: `the console has ${ours.status}, SkinsBack has ${theirs.status}: neither can follow the other`,
    };
  }
  if (judged === "stale") {
    // Ours is ahead. A step SkinsBack has not listed yet (an approval just made) is news in flight; a final
    // status SkinsBack does not have is money the console believes in and SkinsBack does not (a forged success).
    if (!FINAL.includes(ours.status)) return { action: "agree" };
    return {
      action: "flag",
      kind: "contradiction",
      detail: `the console has ${ours.status}, SkinsBack still has ${theirs.status}`,
    };
  }
  if (ours.amount !== null && theirs.amount !== null) {
    const sameCurrency = (ours.currency ?? "").toLowerCase() === (theirs.currency ?? "").toLowerCase();
    if (!sameCurrency || compareDecimal(ours.amount, theirs.amount) !== 0) {
      return {
        action: "flag",
        kind: "amount",
        detail:
          `the console has ${ours.amount} ${ours.currency ?? ""}, SkinsBack has ${theirs.amount} ${theirs.currency ?? ""}`.replace(
            /\s+/g,
            " ",
          ),
      };
    }
  }
  return { action: "agree" };
}
