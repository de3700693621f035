"use client";

import { useMutation } from "@tanstack/react-query";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { formatUtc } from "@/components/ui/format";
import type { FailedScreen as Screen } from "@/lib/failed-notifications/screen";

export function SyncBar({
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
                    : `${result?.transactions ?? 0} listed over ${result?.pages ?? 0} page(s), ${result?.open ?? 0} open right after it${
                        result?.autoReplay ? `; automatic replay: ${result.autoReplay}` : ""
                      }.`
                }`
              : "Not synced yet."}
        </p>
        {sync.nextRunAt && (
          <p className="text-slate-500" data-testid="sync-next">
            Next sync {formatUtc(sync.nextRunAt)}.
          </p>
        )}
        {run.isError && (
          <p role="alert" className="text-rose-700">
            {run.error.message}
          </p>
        )}
      </div>
      {canAct && (
        <Button
          type="button"
          onClick={() => run.mutate()}
          disabled={run.isPending || sync.running}
          variant="secondary"
          size="sm"
        >
          {run.isPending ? "Syncing…" : "Sync now"}
        </Button>
      )}
    </div>
  );
}

export function AutoReplay({
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
        <Button
          type="button"
          disabled={change.isPending}
          onClick={() => change.mutate(!enabled)}
          variant="secondary"
          size="xs"
        >
          {enabled ? "Turn automatic replay off" : "Turn automatic replay on"}
        </Button>
      )}
      {change.isError && <span className="text-rose-700">{change.error.message}</span>}
    </div>
  );
}
