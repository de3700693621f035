"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { formatBudgetTime } from "@/components/ui/format";
import type { BulkPreview } from "@/lib/failed-notifications/bulk";
import type { FailedFilters } from "@/lib/failed-notifications/list";
import type { BulkView } from "@/lib/failed-notifications/screen";
import { failedQuery } from "./failed-query";

export function BulkPanel(props: {
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
      callApi<BulkPreview>(
        `/api/webhooks/failed/bulk/preview?${failedQuery({ ...props.filters, state: "open" })}`,
      ),
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
                {running && (cancel.isPending || cancel.isSuccess)
                  ? "cancelling…"
                  : running
                    ? "running"
                    : bulk.status === "cancelled"
                      ? `cancelled by ${bulk.cancelledBy}`
                      : "finished"}
              </span>
            </p>
            {running && canAct && (
              <Button
                type="button"
                onClick={() => cancel.mutate(bulk.id)}
                disabled={cancel.isPending || cancel.isSuccess}
                variant="secondary"
                size="xs"
              >
                {cancel.isPending || cancel.isSuccess ? "Cancelling…" : "Cancel"}
              </Button>
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
        <Button
          type="button"
          onClick={() => load.mutate()}
          disabled={load.isPending}
          variant="primary"
          size="sm"
        >
          {load.isPending ? "Counting…" : "Retry all matching…"}
        </Button>
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
            It runs in the background within SkinsBack&apos;s 500 calls a minute (at that pace{" "}
            {formatBudgetTime(preview.total)}), survives reloads and restarts, and can be cancelled.
          </p>
          <div className="mt-2 flex gap-2">
            <Button
              type="button"
              onClick={() => start.mutate()}
              disabled={start.isPending || preview.total === 0}
              variant="primary"
              size="sm"
            >
              {start.isPending ? "Starting…" : `Replay ${preview.total}`}
            </Button>
            <Button type="button" onClick={() => setPreview(null)} variant="secondary" size="sm">
              Keep them
            </Button>
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
