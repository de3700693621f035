"use client";

import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { callApi } from "@/components/api-client";
import { SaveButton } from "@/components/ui/save-button";
import type { Retention } from "@/lib/retention/retention";

const FIELDS: { key: keyof Retention; label: string; hint: string }[] = [
  {
    key: "deliveryBodiesDays",
    label: "Raw bytes of stored notifications",
    hint: "the fields stay in the deposit's events; size and hash stay on the delivery",
  },
  { key: "refusedRequestsDays", label: "Refused requests", hint: "bad signature, invalid or too large" },
  {
    key: "apiCallsDays",
    label: "SkinsBack API call log",
    hint: "hold approvals stay on the deposit's timeline",
  },
  { key: "rejectionCountersDays", label: "Rejected-request counters", hint: "they only feed the limits" },
  { key: "sandboxDays", label: "Sandbox records", hint: "the built-in simulator's own tables" },
];

export function RetentionForm({ retention, defaults }: { retention: Retention; defaults: Retention }) {
  const save = useMutation({
    mutationFn: (body: Retention) => callApi("/api/settings/retention", { method: "PATCH", json: body }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.mutate(Object.fromEntries(FIELDS.map((f) => [f.key, Number(data.get(f.key))])) as Retention);
  }
  return (
    <form method="post" onSubmit={submit} className="space-y-4 text-sm">
      <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-semibold">Keep for (days)</legend>
        {FIELDS.map((f) => (
          <label key={f.key} className="flex flex-wrap items-center justify-between gap-2">
            <span>
              {f.label}
              <span className="block text-xs text-slate-500">
                {f.hint}; default {defaults[f.key]}
              </span>
            </span>
            <input
              name={f.key}
              type="number"
              min={1}
              max={3650}
              step={1}
              required
              defaultValue={retention[f.key]}
              className="w-24 rounded-md border border-slate-300 bg-white px-2 py-1"
            />
          </label>
        ))}
      </fieldset>
      <SaveButton save={save} saved="Saved. The next daily run uses it." />
    </form>
  );
}
