"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import { SelectFilter } from "@/components/ui/filter-form";
import { formatUtc } from "@/components/ui/format";
import type { FailedFilters, FailedRow } from "@/lib/failed-notifications/list";
import type { ReplayResult } from "@/lib/failed-notifications/replay";
import type { FailedScreen as Screen } from "@/lib/failed-notifications/screen";
import { BulkPanel } from "./bulk-panel";
import { failedQuery } from "./failed-query";
import { FailedNotificationRow } from "./failed-row";
import { AutoReplay, SyncBar } from "./sync-bar";

type Props = { filters: FailedFilters; initial: Screen; canAct: boolean; isAdmin: boolean };

/**
 * The failed-notification screen: SkinsBack's failed list and this console's own refusals in one table, with
 * the sync's state, one-click replay per row and "retry all matching" as a background job. Polls every 3 s, so
 * new rows and the bulk job's progress appear without a reload.
 */
export function FailedScreen({ filters, initial, canAct, isAdmin }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const queryClient = useQueryClient();
  const key = queryKeys.failed(failedQuery(filters));
  const screen = useQuery({
    queryKey: key,
    queryFn: () => callApi<Screen>(`/api/webhooks/failed?${failedQuery(filters)}`),
    initialData: initial,
    refetchInterval: 3_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.allFailed });
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    // Another filter is another list: it starts from its newest row.
    if (name !== "before") next.delete("before");
    router.replace(`${pathname}?${next}`);
  };
  const data = screen.data;
  // Rows replayed here stay in view with their result until the page is left, even once the filter (open rows)
  // no longer lists them: the operator sees what the click did.
  const [replayed, setReplayed] = useState<Record<string, { row: FailedRow; outcome: ReplayResult }>>({});
  const remember = (row: FailedRow, outcome: ReplayResult) =>
    setReplayed((current) => ({ ...current, [row.key]: { row, outcome } }));
  const listed = new Set(data.rows.map((r) => r.key));
  const shown = [
    ...Object.values(replayed)
      .filter((r) => !listed.has(r.row.key))
      .map((r) => r.row),
    ...data.rows,
  ];

  return (
    <div className="space-y-4">
      <SyncBar sync={data.sync} canAct={canAct} onSynced={refresh} />
      <AutoReplay enabled={data.autoReplay} isAdmin={isAdmin} onChanged={refresh} />
      {screen.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Could not refresh: {screen.error.message}. Showing what was loaded last.
        </p>
      )}
      <div className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm">
        <SelectFilter
          className="block"
          label="State"
          value={filters.state}
          onChange={(v) => setFilter("state", v === "open" ? "" : v)}
          options={[
            ["open", `Open (${data.counts.open})`],
            ["resolved", `Resolved${filters.age ? "" : " (last 30 days)"} (${data.counts.resolved})`],
            ["all", `All (${data.counts.open + data.counts.resolved})`],
          ]}
        />
        <SelectFilter
          className="block"
          label="Source"
          value={filters.source ?? ""}
          onChange={(v) => setFilter("source", v)}
          options={[
            ["", "Any"],
            ["skinsback", `SkinsBack's failed list (${data.counts.bySource.skinsback ?? 0})`],
            ["console", `Refused here (${data.counts.bySource.console ?? 0})`],
          ]}
        />
        <SelectFilter
          className="block"
          label="Our HTTP answer"
          value={filters.httpCode ?? ""}
          onChange={(v) => setFilter("httpCode", v)}
          options={[
            ["", "Any"],
            ...Object.entries(data.counts.byHttpCode).map(([code, n]): [string, string] => [
              code,
              `${code} (${n})`,
            ]),
          ]}
        />
        <SelectFilter
          className="block"
          label="Last seen"
          value={filters.age ?? ""}
          onChange={(v) => setFilter("age", v)}
          options={[
            ["", "Any time"],
            ["1h", "Last hour"],
            ["24h", "Last 24 hours"],
            ["7d", "Last 7 days"],
            ["30d", "Last 30 days"],
          ]}
        />
      </div>
      <BulkPanel
        filters={filters}
        bulk={data.bulk}
        canAct={canAct}
        openCount={data.counts.open}
        onChanged={refresh}
      />
      <p className="text-sm text-slate-500" data-testid="failed-total">
        {data.total === 0
          ? filters.state === "open"
            ? data.sync.lastFinishedAt && !data.sync.lastError
              ? `Nothing failed is waiting, as of SkinsBack's list at ${formatUtc(data.sync.lastFinishedAt)} and every request this console refused.`
              : "Nothing failed is waiting here — but SkinsBack's list has not been read successfully yet: Sync now to be sure."
            : "No row matches these filters."
          : `${data.total} row${data.total === 1 ? "" : "s"}${data.rows.length < data.total ? `, ${data.rows.length} on this page` : ""}`}
      </p>
      {shown.length > 0 && (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-500 uppercase">
              <tr>
                <th className="px-3 py-2">Deposit</th>
                <th className="px-3 py-2">What failed</th>
                <th className="px-3 py-2">Seen</th>
                <th className="px-3 py-2">Here now</th>
                <th className="px-3 py-2">Replay: what it would do, or did</th>
                <th className="px-3 py-2">
                  <span className="sr-only">Replay</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top" data-testid="failed-rows">
              {shown.map((row) => (
                <FailedNotificationRow
                  key={row.key}
                  row={row}
                  canAct={canAct}
                  outcome={replayed[row.key]?.outcome ?? null}
                  onReplayed={(outcome) => {
                    remember(row, outcome);
                    void refresh();
                  }}
                  onChanged={() => void refresh()}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(filters.before || data.nextBefore) && (
        <nav className="flex justify-between text-sm" aria-label="Pages of failed notifications">
          {filters.before ? (
            <button type="button" className="text-sky-700 underline" onClick={() => setFilter("before", "")}>
              ← Newest
            </button>
          ) : (
            <span />
          )}
          {data.nextBefore && (
            <button
              type="button"
              className="text-sky-700 underline"
              onClick={() => setFilter("before", data.nextBefore ?? "")}
            >
              Older →
            </button>
          )}
        </nav>
      )}
    </div>
  );
}
