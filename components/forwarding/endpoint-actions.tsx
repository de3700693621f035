"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { formatUtc } from "@/components/ui/format";
import { Time } from "@/components/ui/time";
import type { RecoveryProgress } from "@/lib/forwarding/actions";

type Recovery = Omit<RecoveryProgress, "since" | "createdAt" | "cancelledAt"> & {
  since: string;
  createdAt: string;
  cancelledAt: string | null;
};

/** `YYYY-MM-DDTHH:mm` in the browser's time zone, as a datetime-local input shows it. */
function localInputValue(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

const base = (id: string) => `/api/forwarding/${encodeURIComponent(id)}`;

/**
 * An endpoint's operator actions: pause / enable, send a test event, and "Recover failed since T" — counted
 * first, confirmed with the count, then its progress polled until done, with Cancel.
 */
export function EndpointActions({ endpointId, state }: { endpointId: string; state: string }) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  // A datetime-local input holds the operator's local time: set after mount, where the browser's zone is known.
  const [since, setSince] = useState("");
  useEffect(() => setSince(localInputValue(new Date(Date.now() - 86_400_000))), []);
  const recovery = useQuery({
    queryKey: ["forwarding", "recovery", endpointId],
    queryFn: () =>
      callApi<{ recovery: Recovery | null }>(`${base(endpointId)}/recover`).then((b) => b.recovery),
    refetchInterval: (q) => (q.state.data && q.state.data.waiting > 0 ? 2_000 : false),
  });
  const act = useMutation({
    mutationFn: async (action: "pause" | "enable" | "test" | "recover" | "cancel" | "retry-now") => {
      if (action === "retry-now") {
        const { count } = await callApi<{ count: number }>(`${base(endpointId)}/retry-now`, {
          method: "POST",
        });
        return count === 0
          ? "Nothing was waiting for a later try."
          : `${count} waiting message(s) go out now, in order.`;
      }
      if (action === "pause" || action === "enable") {
        await callApi(`${base(endpointId)}/state`, {
          method: "POST",
          json: { state: action === "pause" ? "paused" : "enabled" },
        });
        return action === "pause"
          ? "Paused: messages wait until it is enabled."
          : "Enabled: waiting messages go out in order.";
      }
      if (action === "test") {
        const sent = await callApi<{ messageId: number }>(`${base(endpointId)}/test`, { method: "POST" });
        return `Test event queued (message ${sent.messageId}).`;
      }
      if (action === "cancel") {
        const id = recovery.data?.id;
        if (!id) return "Nothing to cancel.";
        const { stopped } = await callApi<{ stopped: number }>(`/api/forwarding/recoveries/${id}/cancel`, {
          method: "POST",
        });
        return `Recovery cancelled: ${stopped} message(s) no longer queued.`;
      }
      const at = new Date(since);
      if (Number.isNaN(at.getTime())) throw new Error("pick a time to recover from");
      const { count } = await callApi<{ count: number }>(`${base(endpointId)}/recover`, {
        method: "POST",
        json: { since: at.toISOString(), dryRun: true },
      });
      if (count === 0) return `No failed message since ${formatUtc(at)}.`;
      if (!window.confirm(`Send ${count} failed message(s) since ${formatUtc(at)} again, in order?`)) {
        return "Not recovered.";
      }
      await callApi(`${base(endpointId)}/recover`, { method: "POST", json: { since: at.toISOString() } });
      return `${count} message(s) queued again.`;
    },
    onSuccess: (message) => {
      setNotice(message);
      void recovery.refetch();
      router.refresh();
    },
  });
  const r = recovery.data;
  return (
    <div
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
      data-testid="endpoint-actions"
    >
      <div className="flex flex-wrap items-end gap-2">
        {state === "enabled" ? (
          <Button size="sm" disabled={act.isPending} onClick={() => act.mutate("pause")}>
            Pause
          </Button>
        ) : (
          <Button variant="primary" size="sm" disabled={act.isPending} onClick={() => act.mutate("enable")}>
            Enable
          </Button>
        )}
        <Button size="sm" disabled={act.isPending} onClick={() => act.mutate("test")}>
          Send test event
        </Button>
        <Button
          size="sm"
          disabled={act.isPending}
          onClick={() => act.mutate("retry-now")}
          title="Your backend is back: send what is waiting now instead of at its next scheduled try"
        >
          Retry now
        </Button>
        <label className="ml-auto">
          <span className="block text-xs text-slate-500">Recover failed since (your time)</span>
          <input
            type="datetime-local"
            value={since}
            onChange={(e) => setSince(e.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <Button size="sm" disabled={act.isPending} onClick={() => act.mutate("recover")}>
          Recover failed…
        </Button>
      </div>
      {act.isError && (
        <p role="alert" className="text-rose-700">
          Not done: {act.error.message}
        </p>
      )}
      {notice && !act.isError && (
        <p role="status" className="text-slate-700">
          {notice}
        </p>
      )}
      {r && (
        <div data-testid="recovery-progress" className="space-y-1">
          <p>
            Recovery #{r.id} of {r.total} failed since <Time value={r.since} /> by {r.createdBy}:{" "}
            <strong>{r.delivered}</strong> delivered, {r.waiting} waiting, {r.failed} failed
            {r.cancelledAt && " · cancelled"}
          </p>
          <progress className="h-2 w-full" max={Math.max(1, r.total)} value={r.delivered + r.failed} />
          {r.waiting > 0 && !r.cancelledAt && (
            <Button size="xs" variant="danger" disabled={act.isPending} onClick={() => act.mutate("cancel")}>
              Cancel recovery
            </Button>
          )}
        </div>
      )}
    </div>
  );
}
