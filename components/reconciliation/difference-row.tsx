"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/api-client";
import { DepositLink } from "@/components/deposits/deposit-link";
import { Button } from "@/components/ui/button";
import { formatMoney } from "@/components/ui/format";
import { Time } from "@/components/ui/time";
import type { ReconciliationView } from "@/lib/reconciliation/overview";

type Difference = ReconciliationView["differences"][number];

const DECISIONS = [
  ["acknowledged", "Acknowledge"],
  ["resolved", "Resolve"],
  ["ignored", "Ignore"],
  ["open", "Reopen"],
] as const;

function Side({ side }: { side: Record<string, string | null> | null }) {
  if (!side) return <span className="text-slate-400">not known</span>;
  return (
    <span className="whitespace-nowrap">
      {side.status}
      {side.amount ? (
        <span className="block text-xs text-slate-500">{formatMoney(side.amount, side.currency)}</span>
      ) : null}
    </span>
  );
}

/** One difference: both sides, what was found, and its decision (operators decide, with a note). */
export function DifferenceRow({
  difference: d,
  label,
  canAct,
  onDecided,
}: {
  difference: Difference;
  label: string;
  canAct: boolean;
  onDecided: () => void;
}) {
  const [open, setOpen] = useState(false);
  const decide = useMutation({
    mutationFn: (body: { state: string; note: string }) =>
      callApi("/api/reconciliation/decide", { method: "POST", json: { id: d.id, ...body } }),
    onSuccess: () => {
      setOpen(false);
      onDecided();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    decide.mutate({ state: String(data.get("state")), note: String(data.get("note") ?? "") });
  };
  return (
    <tr data-testid={`difference-${d.transactionId}`} className="align-top">
      <td className="px-3 py-2 font-mono text-xs break-all">
        <DepositLink transactionId={d.transactionId} className="underline" />
        {d.orderId && <span className="block text-slate-500">{d.orderId}</span>}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">{label}</td>
      <td className="px-3 py-2">
        <Side side={d.ours} />
      </td>
      <td className="px-3 py-2">
        <Side side={d.theirs} />
      </td>
      <td className="max-w-sm px-3 py-2 text-xs">{d.detail}</td>
      <td className="px-3 py-2 text-xs whitespace-nowrap">
        <Time value={d.lastSeenAt} />
      </td>
      <td className="px-3 py-2 text-xs">
        <span className="font-medium" data-testid="difference-state">
          {d.state}
        </span>
        {d.note && (
          <span className="block text-slate-600">
            {d.decidedBy ? `${d.decidedBy}: ` : ""}
            {d.note}
          </span>
        )}
        {canAct && !open && (
          <Button size="xs" className="mt-1" onClick={() => setOpen(true)}>
            Decide…
          </Button>
        )}
        {canAct && open && (
          <form method="post" onSubmit={submit} className="mt-1 space-y-1">
            <select
              name="state"
              defaultValue={d.state === "open" ? "acknowledged" : "open"}
              className="rounded border border-slate-300 bg-white px-1 py-0.5"
            >
              {DECISIONS.filter(([state]) => state !== d.state).map(([state, text]) => (
                <option key={state} value={state}>
                  {text}
                </option>
              ))}
            </select>
            <input
              name="note"
              required
              minLength={3}
              maxLength={1000}
              placeholder="Why (kept with the decision)"
              aria-label="Note"
              className="block w-full rounded border border-slate-300 bg-white px-1 py-0.5"
            />
            <div className="flex gap-1">
              <Button type="submit" size="xs" variant="primary" disabled={decide.isPending}>
                {decide.isPending ? "Saving…" : "Save"}
              </Button>
              <Button size="xs" onClick={() => setOpen(false)}>
                Cancel
              </Button>
            </div>
            {decide.isError && (
              <span role="alert" className="block text-rose-800">
                {decide.error.message}
              </span>
            )}
          </form>
        )}
      </td>
    </tr>
  );
}
