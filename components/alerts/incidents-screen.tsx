"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { consolePathHref, hrefWithQuery } from "@/components/links";
import { queryKeys } from "@/components/query-keys";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import type { AlertIncident } from "@/lib/db/schema";

export type IncidentItem = Omit<
  AlertIncident,
  "openedAt" | "lastNotifiedAt" | "acknowledgedAt" | "resolvedAt"
> & {
  openedAt: string;
  lastNotifiedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  history: { at: string; kind: string; detail: string }[];
};
export type IncidentsPage = { incidents: IncidentItem[]; nextCursor: string | null };

const TABS = [
  ["active", "Open and acknowledged"],
  ["resolved", "Resolved"],
  ["all", "All"],
] as const;

const STATE_STYLE: Record<string, string> = {
  open: "bg-rose-100 text-rose-900",
  acknowledged: "bg-amber-100 text-amber-900",
  resolved: "bg-emerald-100 text-emerald-900",
};

/** /alerts: the incidents the rules opened, each with its history; operators acknowledge. Polls every 5 s. */
export function IncidentsScreen({
  state,
  before,
  initial,
  canAct,
  labels,
}: {
  state: string;
  before: string | undefined;
  initial: IncidentsPage;
  canAct: boolean;
  labels: Record<string, string>;
}) {
  const queryClient = useQueryClient();
  const page = useQuery({
    queryKey: queryKeys.alerts(`${state}|${before ?? ""}`),
    queryFn: () => callApi<IncidentsPage>(hrefWithQuery("/api/alerts", { state, before })),
    initialData: initial,
    refetchInterval: 5_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.allAlerts });
  return (
    <div className="space-y-4">
      <nav aria-label="Incident states" className="flex gap-3 text-sm">
        {TABS.map(([value, label]) => (
          <Link
            key={value}
            href={hrefWithQuery("/alerts", { state: value === "active" ? undefined : value })}
            aria-current={state === value ? "page" : undefined}
            className={state === value ? "font-semibold underline" : "text-slate-600 hover:underline"}
          >
            {label}
          </Link>
        ))}
      </nav>
      {page.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Could not refresh: {page.error.message}. Showing what was loaded last.
        </p>
      )}
      {page.data.incidents.length === 0 ? (
        <p
          className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500"
          data-testid="incidents-empty"
        >
          {state === "active" ? "Nothing is wrong right now: no open incident." : "No incidents here."}
        </p>
      ) : (
        <ul className="space-y-3">
          {page.data.incidents.map((incident) => (
            <IncidentCard
              key={incident.id}
              incident={incident}
              label={labels[incident.rule] ?? incident.rule}
              canAct={canAct}
              onChanged={refresh}
            />
          ))}
        </ul>
      )}
      {page.data.nextCursor && (
        <Link
          href={hrefWithQuery("/alerts", {
            state: state === "active" ? undefined : state,
            before: page.data.nextCursor,
          })}
          className="text-sm underline"
        >
          Older incidents
        </Link>
      )}
    </div>
  );
}

function IncidentCard({
  incident,
  label,
  canAct,
  onChanged,
}: {
  incident: IncidentItem;
  label: string;
  canAct: boolean;
  onChanged: () => void;
}) {
  const [note, setNote] = useState("");
  const acknowledge = useMutation({
    mutationFn: () =>
      callApi("/api/alerts/acknowledge", {
        method: "POST",
        json: { id: incident.id, ...(note.trim() ? { note } : {}) },
      }),
    onSettled: onChanged,
  });
  const href = consolePathHref(incident.link);
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4 text-sm"
      data-testid={`incident-${incident.rule}`}
    >
      <div className="flex flex-wrap items-start gap-2">
        <span
          className={`rounded px-2 py-0.5 text-xs font-medium ${STATE_STYLE[incident.state] ?? ""}`}
          data-testid="incident-state"
        >
          {incident.state}
        </span>
        <h2 className="grow font-semibold">{incident.title}</h2>
        <span className="text-xs text-slate-500">{label}</span>
      </div>
      <p className="mt-1 text-slate-700">{incident.detail}</p>
      <p className="mt-1 text-xs text-slate-500">
        Opened <Time value={incident.openedAt} />
        {incident.reminders > 0 && ` · ${incident.reminders} reminder${incident.reminders === 1 ? "" : "s"}`}
        {incident.acknowledgedBy && (
          <>
            {" "}
            · acknowledged by {incident.acknowledgedBy} <Time value={incident.acknowledgedAt} />
          </>
        )}
        {incident.resolvedAt && (
          <>
            {" "}
            · resolved <Time value={incident.resolvedAt} />
          </>
        )}
        {href && (
          <>
            {" "}
            ·{" "}
            <Link href={href} className="underline">
              Look at it
            </Link>
          </>
        )}
      </p>
      {canAct && incident.state === "open" && (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={500}
            placeholder="Note (optional): who is on it"
            aria-label="Acknowledgement note"
            className="w-72 rounded-md border border-slate-300 bg-white px-2 py-1"
          />
          <Button
            size="xs"
            variant="primary"
            disabled={acknowledge.isPending}
            onClick={() => acknowledge.mutate()}
          >
            {acknowledge.isPending ? "Acknowledging…" : "Acknowledge"}
          </Button>
          {acknowledge.isError && (
            <span role="alert" className="text-rose-800">
              {acknowledge.error.message}
            </span>
          )}
        </div>
      )}
      <details className="mt-2">
        <summary className="cursor-pointer text-xs text-slate-500">
          History ({incident.history.length})
        </summary>
        <ol className="mt-1 space-y-1 text-xs">
          {incident.history.map((h, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only and never reordered
            <li key={i}>
              <Time value={h.at} /> <span className="font-medium">{h.kind}</span>: {h.detail}
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}
