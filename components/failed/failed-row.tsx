"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { ReplayOutcome } from "@/components/deliveries/replay-outcome";
import { DepositLink } from "@/components/deposits/deposit-link";
import { StatusBadge } from "@/components/deposits/status-badge";
import { deliveryHref } from "@/components/links";
import { Button } from "@/components/ui/button";
import { formatUtc } from "@/components/ui/format";
import { Time } from "@/components/ui/time";
import type { FailedRow } from "@/lib/failed-notifications/list";
import type { ReplayResult } from "@/lib/failed-notifications/replay";

export function FailedNotificationRow({
  row,
  canAct,
  outcome,
  onReplayed,
  onChanged,
}: {
  row: FailedRow;
  canAct: boolean;
  outcome: ReplayResult | null;
  onReplayed: (outcome: ReplayResult) => void;
  /** A dismissal or its undo changed the list: refetch it. */
  onChanged: () => void;
}) {
  const replay = useMutation({
    mutationFn: (method?: "orderstatus") =>
      callApi<ReplayResult>("/api/webhooks/failed/replay", {
        method: "POST",
        json: { kind: row.target.kind, id: row.target.id, ...(method ? { method } : {}) },
      }),
    onSuccess: onReplayed,
  });
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState("");
  const target = { kind: row.target.kind, id: row.target.id, generation: row.target.generation };
  const dismiss = useMutation({
    mutationFn: () =>
      callApi("/api/webhooks/failed/dismiss", { method: "POST", json: { ...target, reason } }),
    onSuccess: () => {
      setDismissing(false);
      onChanged();
    },
  });
  const undismiss = useMutation({
    mutationFn: () => callApi("/api/webhooks/failed/undismiss", { method: "POST", json: target }),
    onSuccess: onChanged,
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
        {row.transactionId && (row.deposit || outcome?.result === "applied") ? (
          <DepositLink transactionId={row.transactionId} className="font-mono text-sky-700 hover:underline" />
        ) : row.target.kind === "delivery" ? (
          // Not a deposit here (yet): the useful page is the request that was refused.
          <Link
            href={deliveryHref(row.target.id)}
            className="font-mono text-sky-700 hover:underline"
            title="Not known here yet: replaying creates it. This opens the refused request."
          >
            {row.transactionId ?? `delivery ${row.target.id}`}
          </Link>
        ) : (
          <span
            className="font-mono"
            title="Not known here yet: replaying creates it from SkinsBack's answer"
          >
            {row.transactionId ?? "no transaction id"}
          </span>
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
          <Button
            type="button"
            onClick={() => replay.mutate(undefined)}
            disabled={replay.isPending}
            variant="primary"
            size="xs"
          >
            {replay.isPending ? "Replaying…" : "Retry"}
          </Button>
        )}
        {canAct && open && !dismissing && (
          <Button type="button" onClick={() => setDismissing(true)} size="xs" className="ml-1">
            Dismiss…
          </Button>
        )}
        {canAct && open && dismissing && (
          <form
            method="post"
            className="mt-1 flex flex-col items-end gap-1"
            onSubmit={(event) => {
              event.preventDefault();
              dismiss.mutate();
            }}
          >
            <label className="text-xs text-slate-600">
              Why dismiss it (shown and audited)
              <input
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                minLength={3}
                maxLength={300}
                className="mt-0.5 block w-48 rounded border border-slate-300 bg-white px-1.5 py-0.5"
              />
            </label>
            <span className="flex gap-1">
              <Button type="submit" size="xs" variant="primary" disabled={dismiss.isPending}>
                Dismiss
              </Button>
              <Button type="button" size="xs" onClick={() => setDismissing(false)}>
                Cancel
              </Button>
            </span>
          </form>
        )}
        {canAct && row.dismissed && (
          <Button type="button" size="xs" onClick={() => undismiss.mutate()} disabled={undismiss.isPending}>
            Undo dismiss
          </Button>
        )}
        {(dismiss.isError || undismiss.isError) && (
          <p role="alert" className="mt-1 text-xs text-rose-700">
            {(dismiss.error ?? undismiss.error)?.message}
          </p>
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
            <Button
              type="button"
              onClick={() => replay.mutate("orderstatus")}
              variant="secondary"
              size="xs"
              className="mt-1"
            >
              Read from SkinsBack instead
            </Button>
          )}
      </td>
    </tr>
  );
}
