import type { DepositStatus } from "@/lib/skinsback/deposit-status";

const STYLES: Record<DepositStatus, string> = {
  pending: "bg-slate-100 text-slate-700 ring-slate-300",
  in_hold: "bg-amber-50 text-amber-800 ring-amber-300",
  hold_approved: "bg-sky-50 text-sky-800 ring-sky-300",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  fail: "bg-rose-50 text-rose-800 ring-rose-300",
  hold_returned: "bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-300",
};

/** Each status in words (the raw value stays in `data-status`). */
export const STATUS_LABELS: Record<DepositStatus, string> = {
  pending: "pending",
  in_hold: "in hold",
  hold_approved: "hold approved",
  success: "success",
  fail: "fail",
  hold_returned: "hold returned",
};

export function StatusBadge({ status }: { status: DepositStatus }) {
  return (
    <span
      data-status={status}
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}
