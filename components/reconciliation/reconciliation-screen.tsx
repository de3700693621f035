"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { callApi } from "@/components/api-client";
import { hrefWithQuery } from "@/components/links";
import { queryKeys } from "@/components/query-keys";
import { Button, buttonClasses } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import type { DifferenceFilters } from "@/lib/reconciliation/differences";
import type { ReconciliationView } from "@/lib/reconciliation/overview";
import { DifferenceRow } from "./difference-row";
import { RunsTable } from "./runs-table";

type Props = {
  filters: DifferenceFilters;
  initial: ReconciliationView;
  labels: Record<string, string>;
  canAct: boolean;
};

const STATES = ["open", "acknowledged", "resolved", "ignored", "all"] as const;

export function filterQuery(filters: Partial<DifferenceFilters>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters))
    if (v !== undefined && v !== "" && k !== "before") params.set(k, String(v));
  return params.toString();
}

/** True once no run is going on and the newest one finished after `since` (ms). */
function finishedSince(data: ReconciliationView, since: number): boolean {
  const latest = data.runs[0];
  return (
    !data.running &&
    latest?.finishedAt !== null &&
    latest !== undefined &&
    Date.parse(latest.finishedAt as string) >= since
  );
}

/**
 * /reconciliation: the runs (window, pages, calls, duration, result, totals on both sides), the differences by
 * kind and state with their decisions, CSV export and "Run now". Polls every 5 s, so a run started here shows up
 * and finishes on screen.
 */
export function ReconciliationScreen({ filters, initial, labels, canAct }: Props) {
  const queryClient = useQueryClient();
  const query = filterQuery(filters);
  const apiQuery = hrefWithQuery("/api/reconciliation", { ...filters });
  const screen = useQuery({
    queryKey: queryKeys.reconciliation(`${query}|${filters.before ?? ""}`),
    queryFn: () => callApi<ReconciliationView>(apiQuery),
    initialData: initial,
    refetchInterval: 5_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.allReconciliation });
  const run = useMutation({
    mutationFn: () => callApi<{ started: boolean }>("/api/reconciliation/run", { method: "POST", json: {} }),
    onSettled: refresh,
  });
  const data = screen.data;
  const flagged =
    data.counts.contradiction + data.counts.amount + data.counts.unknown_at_skinsback + data.counts.stuck;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <p className="grow" data-testid="reconcile-schedule">
          {data.running ? (
            <span className="font-medium">A run is in progress…</span>
          ) : data.nextRunAt ? (
            <>
              Next scheduled run <Time value={data.nextRunAt} />.
            </>
          ) : (
            "No run has been scheduled yet: the first starts within a minute of the console starting."
          )}{" "}
          {flagged === 0
            ? "Nothing waits for a decision."
            : `${flagged} difference${flagged === 1 ? "" : "s"} wait for a decision.`}
        </p>
        {canAct && (
          <Button
            variant="primary"
            size="sm"
            disabled={run.isPending || data.running}
            onClick={() => run.mutate()}
          >
            {run.isPending ? "Starting…" : "Run now"}
          </Button>
        )}
        {run.isError && (
          <span role="alert" className="text-rose-800">
            {run.error.message}
          </span>
        )}
        {run.isSuccess && (
          // While the run goes on; once the newest run has finished since the click, its row says what it found.
          <span role="status" className="text-emerald-800">
            {finishedSince(data, run.submittedAt)
              ? "Finished: the newest run below says what it found."
              : "Started: SkinsBack's orders of the last 48 hours are being compared."}
          </span>
        )}
      </div>
      {screen.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Could not refresh: {screen.error.message}. Showing what was loaded last.
        </p>
      )}
      <RunsTable runs={data.runs} />
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">Differences</h2>
        <nav aria-label="Kinds" className="flex flex-wrap gap-2 text-sm">
          <Link
            href={hrefWithQuery("/reconciliation", {
              state: filters.state === "open" ? undefined : filters.state,
            })}
            aria-current={!filters.kind ? "page" : undefined}
            className={buttonClasses(!filters.kind ? "primary" : "secondary", "xs")}
          >
            Every kind
          </Link>
          {Object.entries(labels).map(([kind, label]) => (
            <Link
              key={kind}
              href={hrefWithQuery("/reconciliation", {
                state: filters.state === "open" ? undefined : filters.state,
                kind,
              })}
              aria-current={filters.kind === kind ? "page" : undefined}
              className={buttonClasses(filters.kind === kind ? "primary" : "secondary", "xs")}
            >
              {label}
              {kind in data.counts && data.counts[kind as keyof typeof data.counts] > 0
                ? ` (${data.counts[kind as keyof typeof data.counts]})`
                : ""}
            </Link>
          ))}
        </nav>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="text-slate-500">State:</span>
          {STATES.map((state) => (
            <Link
              key={state}
              href={hrefWithQuery("/reconciliation", {
                state: state === "open" ? undefined : state,
                kind: filters.kind,
              })}
              aria-current={filters.state === state ? "page" : undefined}
              className={
                filters.state === state ? "font-semibold underline" : "text-slate-600 hover:underline"
              }
            >
              {state}
            </Link>
          ))}
          <form
            method="post"
            action={`/api/reconciliation/export${query ? `?${query}` : ""}`}
            className="ml-auto"
          >
            <Button type="submit" size="xs">
              Export CSV
            </Button>
          </form>
        </div>
        {data.differences.length === 0 ? (
          <p
            className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500"
            data-testid="differences-empty"
          >
            {filters.state === "open"
              ? "No open differences: SkinsBack's orders and the console agree, as of the last run."
              : "No differences match."}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs text-slate-500 uppercase">
                <tr>
                  <th className="px-3 py-2">Deposit</th>
                  <th className="px-3 py-2">Kind</th>
                  <th className="px-3 py-2">Console</th>
                  <th className="px-3 py-2">SkinsBack</th>
                  <th className="px-3 py-2">What was found</th>
                  <th className="px-3 py-2">Seen</th>
                  <th className="px-3 py-2">Decision</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {data.differences.map((d) => (
                  <DifferenceRow
                    key={d.id}
                    difference={d}
                    label={labels[d.kind] ?? d.kind}
                    canAct={canAct}
                    onDecided={refresh}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.nextCursor && (
          <Link
            href={hrefWithQuery("/reconciliation", {
              state: filters.state === "open" ? undefined : filters.state,
              kind: filters.kind,
              before: data.nextCursor,
            })}
            className="text-sm underline"
          >
            Older differences
          </Link>
        )}
      </section>
    </div>
  );
}
