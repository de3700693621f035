"use client";

import { useMutation } from "@tanstack/react-query";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import type { ChannelView } from "@/lib/alerts/channels";

/** The saved channels: what each sends to (never its secret), on/off, delete (confirmed). */
export function ChannelList({ channels, onChanged }: { channels: ChannelView[]; onChanged: () => void }) {
  const update = useMutation({
    mutationFn: (body: { id: number; enabled: boolean }) =>
      callApi("/api/settings/alerts/channels/update", { method: "POST", json: body }),
    onSettled: onChanged,
  });
  const remove = useMutation({
    mutationFn: (id: number) =>
      callApi("/api/settings/alerts/channels/delete", { method: "POST", json: { id } }),
    onSettled: onChanged,
  });
  if (channels.length === 0) {
    return (
      <p
        className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-500"
        data-testid="channels-empty"
      >
        No channel yet: incidents are listed under Alerts, and nobody is told. Add one below.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
      {channels.map((c) => (
        <li
          key={c.id}
          className="flex flex-wrap items-center gap-3 px-4 py-3"
          data-testid={`channel-${c.name}`}
        >
          <span className="grow">
            <span className="font-medium">{c.name}</span> <span className="text-slate-500">#{c.id}</span>
            <span className="block text-xs text-slate-500">
              {c.summary}
              {c.source === "environment" ? " · from the configuration" : ` · added by ${c.createdBy}`} ·{" "}
              <Time value={c.createdAt} />
            </span>
          </span>
          <span className={c.enabled ? "text-emerald-800" : "text-slate-500"}>
            {c.enabled ? "on" : "off"}
          </span>
          <Button
            size="xs"
            disabled={update.isPending}
            onClick={() => update.mutate({ id: c.id, enabled: !c.enabled })}
          >
            {c.enabled ? "Turn off" : "Turn on"}
          </Button>
          {c.source === "console" && (
            <Button
              size="xs"
              variant="danger"
              disabled={remove.isPending}
              onClick={() => {
                if (
                  window.confirm(`Delete the channel "${c.name}"? Messages not sent yet to it are dropped.`)
                )
                  remove.mutate(c.id);
              }}
            >
              Delete
            </Button>
          )}
        </li>
      ))}
      {(update.isError || remove.isError) && (
        <li role="alert" className="px-4 py-2 text-rose-800">
          {(update.error ?? remove.error)?.message}
        </li>
      )}
    </ul>
  );
}
