"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { StatusBadge } from "@/components/deposits/status-badge";
import { formatUtc } from "@/components/ui/format";
import { Time } from "@/components/ui/time";
import type { BulkPreview } from "@/lib/failed-notifications/bulk";
import type { FailedFilters, FailedRow } from "@/lib/failed-notifications/list";
import type { ReplayResult } from "@/lib/failed-notifications/replay";
import type { BulkView, FailedScreen as Screen } from "@/lib/failed-notifications/screen";

type Props = { filters: FailedFilters; initial: Screen; canAct: boolean; isAdmin: boolean };

const query = (filters: FailedFilters) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters))
    if (v !== undefined && k !== "limit") params.set(k, String(v));
  return params.toString();
};

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
  const key = ["failed", query(filters)];
  const screen = useQuery({
    queryKey: key,
    queryFn: () => callApi<Screen>(`/api/webhooks/failed?${query(filters)}`),
    initialData: initial,
    refetchInterval: 3_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["failed"] });
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search.toString());
    if (value) next.set(name, value);
    else next.delete(name);
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
        <Select
          label="State"
          value={filters.state}
          onChange={(v) => setFilter("state", v === "open" ? "" : v)}
          options={[
            ["open", `Open (${data.counts.open})`],
            ["resolved", `Resolved (${data.counts.resolved})`],
            ["all", `All (${data.counts.open + data.counts.resolved})`],
          ]}
        />
        <Select
          label="Source"
          value={filters.source ?? ""}
          onChange={(v) => setFilter("source", v)}
          options={[
            ["", "Any"],
            ["skinsback", `SkinsBack's failed list (${data.counts.bySource.skinsback ?? 0})`],
            ["console", `Refused here (${data.counts.bySource.console ?? 0})`],
          ]}
        />
        <Select
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
        <Select
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
            ? "Nothing failed is waiting: every notification SkinsBack could not deliver has been made right."
            : "No row matches these filters."
          : `${data.total} row${data.total === 1 ? "" : "s"}${data.rows.length < data.total ? `, newest ${data.rows.length} shown` : ""}`}
      </p>
      {shown.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
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
                <Row
                  key={row.key}
                  row={row}
                  canAct={canAct}
                  outcome={replayed[row.key]?.outcome ?? null}
                  onReplayed={(outcome) => {
                    remember(row, outcome);
                    void refresh();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Select(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  return (
    <label className="block">
      <span className="text-xs text-slate-500">{props.label}</span>
      <select
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1"
      >
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function SyncBar({
  sync,
  canAct,
  onSynced,
}: {
  sync: Screen["sync"];
  canAct: boolean;
  onSynced: () => void;
}) {
  const run = useMutation({
    mutationFn: () =>
      callApi<{ result: Record<string, unknown> }>("/api/webhooks/failed/sync", { method: "POST", json: {} }),
    onSettled: onSynced,
  });
  const result = sync.lastResult as {
    transactions?: number;
    open?: number;
    pages?: number;
    autoReplay?: string;
  } | null;
  return (
    <div
      className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm"
      data-testid="sync-bar"
    >
      <div className="grow">
        <p className="font-medium">SkinsBack&apos;s failed list</p>
        <p className="text-slate-500">
          {sync.running
            ? "Syncing now…"
            : sync.lastFinishedAt
              ? `Last sync ${formatUtc(sync.lastFinishedAt)} in ${sync.lastDurationMs ?? "?"} ms: ${
                  sync.lastError
                    ? `failed (${sync.lastError})`
                    : `${result?.transactions ?? 0} listed over ${result?.pages ?? 0} page(s), ${result?.open ?? 0} open${
                        result?.autoReplay ? `; automatic replay: ${result.autoReplay}` : ""
                      }`
                }`
              : "Not synced yet."}{" "}
          {sync.nextRunAt && `Next ${formatUtc(sync.nextRunAt)}.`}
        </p>
        {run.isError && (
          <p role="alert" className="text-rose-700">
            {run.error.message}
          </p>
        )}
      </div>
      {canAct && (
        <button
          type="button"
          onClick={() => run.mutate()}
          disabled={run.isPending || sync.running}
          className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 disabled:opacity-50"
        >
          {run.isPending ? "Syncing…" : "Sync now"}
        </button>
      )}
    </div>
  );
}

function AutoReplay({
  enabled,
  isAdmin,
  onChanged,
}: {
  enabled: boolean;
  isAdmin: boolean;
  onChanged: () => void;
}) {
  const change = useMutation({
    mutationFn: (autoReplay: boolean) =>
      callApi("/api/settings/failed-notifications", { method: "PATCH", json: { autoReplay } }),
    onSettled: onChanged,
  });
  const text = enabled
    ? "Automatic replay is on: after each sync, SkinsBack's failed rows are replayed in the background."
    : "Automatic replay is off: replay rows here.";
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
      <span data-testid="auto-replay">{text}</span>
      {isAdmin && (
        <button
          type="button"
          disabled={change.isPending}
          onClick={() => change.mutate(!enabled)}
          className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
        >
          {enabled ? "Turn automatic replay off" : "Turn automatic replay on"}
        </button>
      )}
      {change.isError && <span className="text-rose-700">{change.error.message}</span>}
    </div>
  );
}

function BulkPanel(props: {
  filters: FailedFilters;
  bulk: BulkView | null;
  canAct: boolean;
  openCount: number;
  onChanged: () => void;
}) {
  const { bulk, canAct } = props;
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const { limit: _limit, state: _state, ...rest } = props.filters;
  const load = useMutation({
    mutationFn: () =>
      callApi<BulkPreview>(`/api/webhooks/failed/bulk/preview?${query({ ...props.filters, state: "open" })}`),
    onSuccess: setPreview,
  });
  const start = useMutation({
    mutationFn: () => callApi("/api/webhooks/failed/bulk", { method: "POST", json: rest }),
    onSuccess: () => setPreview(null),
    onSettled: props.onChanged,
  });
  const cancel = useMutation({
    mutationFn: (id: number) => callApi("/api/webhooks/failed/bulk/cancel", { method: "POST", json: { id } }),
    onSettled: props.onChanged,
  });
  const running = bulk?.status === "running";
  const percent = bulk && bulk.total > 0 ? Math.floor((bulk.done / bulk.total) * 100) : 0;
  return (
    <div className="space-y-2">
      {bulk && (running || bulk.finishedAt) && (
        <div
          className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm"
          data-testid="bulk-progress"
        >
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p>
              <span className="font-medium">Bulk replay #{bulk.id}</span>{" "}
              <span className="text-slate-500">
                by {bulk.createdBy} ·{" "}
                {running
                  ? "running"
                  : bulk.status === "cancelled"
                    ? `cancelled by ${bulk.cancelledBy}`
                    : "finished"}
              </span>
            </p>
            {running && canAct && (
              <button
                type="button"
                onClick={() => cancel.mutate(bulk.id)}
                disabled={cancel.isPending}
                className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
              >
                Cancel
              </button>
            )}
          </div>
          <div
            className="mt-2 h-2 overflow-hidden rounded bg-slate-100"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={bulk.total}
            aria-valuenow={bulk.done}
            aria-label="Bulk replay progress"
          >
            <div className="h-full bg-sky-600 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <p className="mt-1 text-xs text-slate-600" data-testid="bulk-counts">
            {bulk.done} / {bulk.total} ({percent} %) · applied {bulk.applied} · unchanged {bulk.unchanged} ·
            failed {bulk.failed}
          </p>
        </div>
      )}
      {canAct && !running && props.openCount > 0 && !preview && (
        <button
          type="button"
          onClick={() => load.mutate()}
          disabled={load.isPending}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-60"
        >
          {load.isPending ? "Counting…" : "Retry all matching…"}
        </button>
      )}
      {preview && (
        <div
          className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm"
          data-testid="bulk-preview"
        >
          <p className="font-medium text-amber-900">
            Replay {preview.total} open row{preview.total === 1 ? "" : "s"} matching these filters?
          </p>
          <ul className="mt-1 list-disc pl-5 text-amber-900">
            {Object.entries(preview.effects).map(([effect, n]) => (
              <li key={effect}>
                {n} × {effect}
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs text-amber-800">
            It runs in the background within SkinsBack&apos;s 500 calls a minute (about{" "}
            {Math.ceil(preview.total / 500)} minute{preview.total > 500 ? "s" : ""}), survives reloads and
            restarts, and can be cancelled.
          </p>
          <div className="mt-2 flex gap-2">
            <button
              type="button"
              onClick={() => start.mutate()}
              disabled={start.isPending || preview.total === 0}
              className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700 disabled:opacity-60"
            >
              {start.isPending ? "Starting…" : `Replay ${preview.total}`}
            </button>
            <button
              type="button"
              onClick={() => setPreview(null)}
              className="rounded-md border border-slate-300 px-3 py-1.5"
            >
              Keep them
            </button>
          </div>
          {start.isError && (
            <p role="alert" className="mt-1 text-rose-700">
              {start.error.message}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function Row({
  row,
  canAct,
  outcome,
  onReplayed,
}: {
  row: FailedRow;
  canAct: boolean;
  outcome: ReplayResult | null;
  onReplayed: (outcome: ReplayResult) => void;
}) {
  const replay = useMutation({
    mutationFn: (method?: "orderstatus") =>
      callApi<ReplayResult>("/api/webhooks/failed/replay", {
        method: "POST",
        json: { kind: row.target.kind, id: row.target.id, ...(method ? { method } : {}) },
      }),
    onSuccess: onReplayed,
  });
  const done =
    outcome?.result === "applied" || outcome?.result === "unchanged" || outcome?.result === "already";
  const open = row.resolvedAt === null && !done;
  return (
    <tr
      data-row-key={row.key}
      data-transaction-id={row.transactionId ?? ""}
      data-resolved={open ? "no" : "yes"}
    >
      <td className="px-3 py-2">
        {row.transactionId ? (
          <Link href={`/deposits/${row.transactionId}`} className="font-mono text-sky-700 hover:underline">
            {row.transactionId}
          </Link>
        ) : (
          <span className="text-slate-500">no transaction id</span>
        )}
        <span className="block text-xs text-slate-500">{row.orderId ?? "—"}</span>
        <span className="mt-1 inline-block rounded bg-slate-100 px-1.5 text-[11px] text-slate-600">
          {row.source === "skinsback" ? "SkinsBack's list" : "refused here"}
        </span>
      </td>
      <td className="max-w-sm px-3 py-2">{row.failure}</td>
      <td className="px-3 py-2 text-xs whitespace-nowrap text-slate-500">
        first <Time value={row.firstSeenAt} />
        <br />
        last <Time value={row.lastSeenAt} />
      </td>
      <td className="px-3 py-2">
        {outcome?.result === "applied" ? (
          <StatusBadge status={outcome.newStatus} />
        ) : row.deposit ? (
          <StatusBadge status={row.deposit.status} />
        ) : (
          <span className="text-slate-500">unknown here</span>
        )}
      </td>
      <td className="max-w-xs px-3 py-2 text-slate-700">
        {done
          ? "replayed just now"
          : open
            ? row.prediction
            : `resolved (${row.resolution}) ${formatUtc(row.resolvedAt)}`}
        {row.lastReplay && (
          <span className="block text-xs text-slate-500">
            last replay: {row.lastReplay.status}
            {row.lastReplay.newStatus ? ` → ${row.lastReplay.newStatus}` : ""} by {row.lastReplay.by} at{" "}
            <Time value={row.lastReplay.at} />
            {row.lastReplay.message ? ` (${row.lastReplay.message})` : ""}
          </span>
        )}
      </td>
      <td className="px-3 py-2 text-right" data-testid="replay-cell">
        {canAct && open && (
          <button
            type="button"
            onClick={() => replay.mutate(undefined)}
            disabled={replay.isPending}
            className="rounded-md bg-slate-900 px-3 py-1 text-xs font-medium text-white hover:bg-slate-700 disabled:opacity-60"
          >
            {replay.isPending ? "Replaying…" : "Retry"}
          </button>
        )}
        {outcome && <ReplayOutcome outcome={outcome} />}
        {replay.isError && (
          <p role="alert" className="mt-1 text-xs text-rose-700">
            {replay.error.message}
          </p>
        )}
        {canAct &&
          outcome?.result === "failed" &&
          outcome.orderstatusPossible &&
          row.target.kind === "delivery" && (
            <button
              type="button"
              onClick={() => replay.mutate("orderstatus")}
              className="mt-1 rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
            >
              Read from SkinsBack instead
            </button>
          )}
      </td>
    </tr>
  );
}

function ReplayOutcome({ outcome }: { outcome: ReplayResult }) {
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
