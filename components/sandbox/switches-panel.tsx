"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import type { SandboxSwitches } from "@/lib/sandbox/switches";

type Toggle = {
  [K in keyof SandboxSwitches]: SandboxSwitches[K] extends boolean ? K : never;
}[keyof SandboxSwitches];

const TOGGLES: { key: Toggle; label: string; help: string }[] = [
  {
    key: "liveTraffic",
    label: "Live traffic",
    help: "new deposits keep coming, at the pace of the seeded history (the charts stay true)",
  },
  {
    key: "fastLiveTraffic",
    label: "Fast live traffic",
    help: "a deposit every few seconds, to watch things move",
  },
  { key: "duplicate", label: "Duplicate delivery", help: "every notification is sent twice" },
  {
    key: "outOfOrder",
    label: "Out-of-order delivery",
    help: "a status's notification arrives after the next one",
  },
  {
    key: "failResultUrl",
    label: "Failing Result URL",
    help: "notifications go to an endpoint that answers 500 and land in callback_error_list",
  },
  { key: "maintenance", label: "Maintenance", help: "every API call answers -9 under_maintenance" },
  {
    key: "holdNotifications",
    label: "Hold notifications",
    help: "SkinsBack stops sending; they wait and go out when this is off (the silence alarm's case)",
  },
  {
    key: "silentLoss",
    label: "Silent loss",
    help: "a third of the notifications vanish on the way and are never listed as failed (reconciliation finds them)",
  },
  {
    key: "drift",
    label: "Drift",
    help: "SkinsBack changes a third of the statuses without notifying (reconciliation and the watchdogs find them)",
  },
];

const request = (patch?: Partial<SandboxSwitches>) =>
  callApi<SandboxSwitches>("/sandbox/control", patch ? { method: "POST", json: patch } : undefined);

/** `canChange`: the operator role or above; a viewer sees the switches' state and no controls. */
export function SwitchesPanel({ canChange }: { canChange: boolean }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: queryKeys.sandboxSwitches, queryFn: () => request() });
  // Optimistic: a change shows at once (set in the event handler, not after a round trip), is replaced by what
  // the server saved, and is put back if the server refuses.
  const [draft, setDraft] = useState<Partial<SandboxSwitches>>({});
  const mutation = useMutation({
    mutationFn: (patch: Partial<SandboxSwitches>) => request(patch),
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.sandboxSwitches, saved),
    onSettled: (_data, _error, patch) =>
      setDraft((current) => {
        const next = { ...current };
        for (const key of Object.keys(patch) as (keyof SandboxSwitches)[]) {
          if (next[key] === patch[key]) delete next[key];
        }
        return next;
      }),
  });
  const change = (patch: Partial<SandboxSwitches>) => {
    setDraft((current) => ({ ...current, ...patch }));
    mutation.mutate(patch);
  };
  if (query.isPending) return <p className="text-sm text-slate-500">Loading switches…</p>;
  if (query.isError)
    return (
      <p role="alert" className="text-sm text-rose-700">
        Could not load the switches: {query.error.message}
      </p>
    );
  const switches = { ...query.data, ...draft };
  if (!canChange) {
    return (
      <div className="space-y-2">
        <p className="text-sm text-slate-500">
          You can see the switches; changing them needs the operator role.
        </p>
        <dl className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {TOGGLES.map((t) => (
            <div key={t.key} className="flex justify-between gap-4 px-4 py-3">
              <dt className="font-medium">{t.label}</dt>
              <dd data-testid={`switch-state-${t.key}`}>{switches[t.key] ? "on" : "off"}</dd>
            </div>
          ))}
          <div className="flex justify-between gap-4 px-4 py-3">
            <dt className="font-medium">Notification encoding</dt>
            <dd>{switches.encoding}</dd>
          </div>
          <div className="flex justify-between gap-4 px-4 py-3">
            <dt className="font-medium">Demo receiver</dt>
            <dd data-testid="switch-state-merchantReceiver">{switches.merchantReceiver}</dd>
          </div>
          <div className="flex justify-between gap-4 px-4 py-3">
            <dt className="font-medium">Delivery delay</dt>
            <dd>{switches.delayMs} ms</dd>
          </div>
        </dl>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      {mutation.isError && (
        <p role="alert" className="text-sm text-rose-700">
          Not saved: {mutation.error.message}
        </p>
      )}
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {TOGGLES.map((t) => (
          <li key={t.key} className="flex items-center justify-between gap-4 px-4 py-3">
            <label htmlFor={`switch-${t.key}`} className="text-sm">
              <span className="font-medium">{t.label}</span>
              <span className="block text-xs text-slate-500">{t.help}</span>
            </label>
            <input
              id={`switch-${t.key}`}
              type="checkbox"
              className="size-4"
              checked={Boolean(switches[t.key])}
              onChange={(e) => change({ [t.key]: e.target.checked })}
            />
          </li>
        ))}
        <li className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
          <label htmlFor="switch-encoding" className="font-medium">
            Notification encoding
          </label>
          <select
            id="switch-encoding"
            value={switches.encoding}
            onChange={(e) => change({ encoding: e.target.value as "json" | "form" })}
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="json">JSON</option>
            <option value="form">form (PHP brackets)</option>
          </select>
        </li>
        <li className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
          <label htmlFor="switch-merchant" className="font-medium">
            Demo receiver (your backend, where forwarding sends)
            <span className="block text-xs font-normal text-slate-500">
              realistic: a few slow answers and about one in twelve fails
            </span>
          </label>
          <select
            id="switch-merchant"
            value={switches.merchantReceiver}
            onChange={(e) =>
              change({ merchantReceiver: e.target.value as SandboxSwitches["merchantReceiver"] })
            }
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="realistic">realistic</option>
            <option value="healthy">healthy</option>
            <option value="failing">failing (answers 500)</option>
          </select>
        </li>
        <li className="flex items-center justify-between gap-4 px-4 py-3 text-sm">
          <label htmlFor="switch-delay" className="font-medium">
            Delivery delay (ms)
          </label>
          <input
            id="switch-delay"
            type="number"
            min={0}
            max={600000}
            step={500}
            defaultValue={switches.delayMs}
            onBlur={(e) => change({ delayMs: Number(e.target.value) || 0 })}
            className="w-28 rounded border border-slate-300 px-2 py-1 text-right"
          />
        </li>
      </ul>
    </div>
  );
}
