import { formatMoney } from "@/components/ui/format";
import { Time } from "@/components/ui/time";
import type { RunView } from "@/lib/reconciliation/overview";

const duration = (run: RunView) =>
  run.finishedAt
    ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
    : "running";

function Totals({ label, totals }: { label: string; totals: Record<string, string> | undefined }) {
  const entries = Object.entries(totals ?? {});
  return (
    <span className="block">
      <span className="font-medium text-slate-500">{label}: </span>
      {entries.length === 0 ? (
        <span className="text-slate-400">—</span>
      ) : (
        // Wraps between currencies (never inside an amount), so the column is never cut.
        entries.map(([currency, amount], i) => (
          <span key={currency} className="whitespace-nowrap">
            {i > 0 && " · "}
            {formatMoney(amount, currency)}
          </span>
        ))
      )}
    </span>
  );
}

/** The last runs: what each compared, what it cost and what it found. */
export function RunsTable({ runs }: { runs: RunView[] }) {
  if (runs.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
        No reconciliation has run yet.
      </p>
    );
  }
  return (
    <section className="space-y-2">
      <h2 className="text-lg font-semibold">Runs</h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="reconcile-runs">
          <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Started</th>
              <th className="px-3 py-2">Kind</th>
              <th className="px-3 py-2">Window</th>
              <th className="px-3 py-2">Pages / calls</th>
              <th className="px-3 py-2">Took</th>
              <th className="px-3 py-2">Result</th>
              <th className="px-3 py-2">Success totals</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {runs.map((run) => (
              <tr key={run.id}>
                <td className="px-3 py-2 whitespace-nowrap">
                  <Time value={run.startedAt} />
                  <span className="block text-xs text-slate-500">{run.requestedBy}</span>
                </td>
                <td className="px-3 py-2">{run.kind}</td>
                <td className="px-3 py-2 text-xs whitespace-nowrap">
                  <Time value={run.windowStart} /> →<br />
                  <Time value={run.windowEnd} />
                </td>
                <td className="px-3 py-2 tabular-nums">
                  {run.pages} / {run.calls}
                </td>
                <td className="px-3 py-2 tabular-nums">{duration(run)}</td>
                <td className="px-3 py-2">
                  {run.state === "failed" ? (
                    <span className="text-rose-800">failed: {run.error}</span>
                  ) : run.state === "running" ? (
                    "running…"
                  ) : (
                    <span>
                      {run.theirs} at SkinsBack, {run.ours} here; {run.applied} applied, {run.flagged} flagged
                    </span>
                  )}
                </td>
                <td className="min-w-64 px-3 py-2 text-xs">
                  <Totals label="SkinsBack" totals={run.totals?.skinsback} />
                  <Totals label="Console" totals={run.totals?.console} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
