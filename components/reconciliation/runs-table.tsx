import { formatMoney } from "@/components/ui/format";
import { Time } from "@/components/ui/time";
import type { RunView } from "@/lib/reconciliation/overview";

const duration = (run: RunView) =>
  run.finishedAt
    ? `${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s`
    : "running";

function Totals({ totals }: { totals: Record<string, string> | undefined }) {
  const entries = Object.entries(totals ?? {});
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <span className="whitespace-nowrap">
      {entries.map(([currency, amount]) => formatMoney(amount, currency)).join(" · ")}
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
              <th className="px-3 py-2">Success totals: SkinsBack / console</th>
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
                <td className="px-3 py-2 text-xs">
                  <Totals totals={run.totals?.skinsback} />
                  <br />
                  <Totals totals={run.totals?.console} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
