/** Deposit statuses as SkinsBack sends them (notification page; docs/skinsback-protocol.md#statuses). */
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
