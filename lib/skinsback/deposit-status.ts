/** Deposit statuses as SkinsBack sends them (notification page; skinsback-api.md §4.3). */
export const DEPOSIT_STATUSES = [
  "pending",
  "in_hold",
  "hold_approved",
  "success",
  "fail",
  "hold_returned",
] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

/** Statuses whose notifications carry the amount fields. */
export const MONEY_STATUSES: readonly DepositStatus[] = ["success", "in_hold", "hold_approved"];
