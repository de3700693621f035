import { DEPOSIT_STATUSES } from "@/lib/skinsback/deposit-status";

/** Every type a change can have: one per status, and `deposit.flagged` (money changed, a conflict). */
export const DEPOSIT_EVENT_TYPES = [
  ...DEPOSIT_STATUSES.map((s) => `deposit.${s}` as const),
  "deposit.flagged",
] as const;
export type DepositEventType = (typeof DEPOSIT_EVENT_TYPES)[number];
/** A test event sent by an operator; no deposit changed. */
export const TEST_EVENT_TYPE = "console.test";
