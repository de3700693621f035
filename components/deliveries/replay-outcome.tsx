import { formatUtc } from "@/components/ui/format";
import type { ReplayResult } from "@/lib/failed-notifications/replay";

/** What a replay did, in one line: shown under a replayed delivery and a replayed failed row. */
export function ReplayOutcome({ outcome }: { outcome: ReplayResult }) {
  const text =
    outcome.result === "applied"
      ? `applied: ${outcome.previousStatus ?? "new"} → ${outcome.newStatus}`
      : outcome.result === "unchanged"
        ? outcome.message
        : outcome.result === "failed"
          ? `still failing: ${outcome.message}`
          : outcome.result === "already"
            ? `already replayed by ${outcome.by} at ${formatUtc(outcome.at)}`
            : "gone";
  return (
    <p role="status" className="mt-1 text-xs text-slate-700" data-testid="replay-outcome">
      {text}
    </p>
  );
}
