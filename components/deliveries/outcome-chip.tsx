/** A delivery's or event's outcome as a coloured chip: stored (green), no change (grey), doubtful or refused. */
const OUTCOME_STYLES: Record<string, string> = {
  applied: "bg-emerald-100 text-emerald-800",
  duplicate: "bg-slate-200 text-slate-700",
  stale: "bg-amber-100 text-amber-800",
  conflict: "bg-rose-100 text-rose-800",
  bad_signature: "bg-rose-100 text-rose-800",
  invalid_payload: "bg-rose-100 text-rose-800",
  too_large: "bg-rose-100 text-rose-800",
  unavailable: "bg-rose-100 text-rose-800",
};

export function OutcomeChip({ value }: { value: string }) {
  return (
    <span
      data-outcome={value}
      className={`rounded px-1.5 py-0.5 text-[11px] font-semibold whitespace-nowrap uppercase ${OUTCOME_STYLES[value] ?? "bg-slate-100"}`}
    >
      {value.replace("_", " ")}
    </span>
  );
}
