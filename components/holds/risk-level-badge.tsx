import type { RiskLevel } from "@/lib/risk/assessment";

/** A risk level as a badge: a server component, so pages show it without loading the queue's client code. */
const LEVEL_STYLES: Record<RiskLevel, string> = {
  low: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  medium: "bg-amber-50 text-amber-800 ring-amber-300",
  high: "bg-rose-50 text-rose-800 ring-rose-300",
};

export function RiskLevelBadge({ level }: { level: RiskLevel }) {
  return (
    <span
      data-risk-level={level}
      className={`inline-flex rounded-md px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${LEVEL_STYLES[level]}`}
    >
      {level} risk
    </span>
  );
}
