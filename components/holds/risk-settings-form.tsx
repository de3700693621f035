"use client";

import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { callApi } from "@/components/api-client";
import { SaveButton } from "@/components/ui/save-button";
import type { RiskThresholds } from "@/lib/risk/assessment";

const FIELDS: { key: keyof RiskThresholds; label: string; unit: string }[] = [
  {
    key: "highRollbackPercent",
    label: "High risk from a rolled-back share (by count or money) of",
    unit: "%",
  },
  { key: "mediumRollbacks", label: "Medium risk from this many rollbacks", unit: "rollbacks" },
  { key: "highAccountAgeDays", label: "High risk for a SkinsBack account younger than", unit: "days" },
  { key: "mediumAccountAgeDays", label: "Medium risk for an account younger than", unit: "days" },
  { key: "mediumFewDeposits", label: "Medium risk with fewer earlier deposits than", unit: "deposits" },
  { key: "highReturnedHere", label: "High risk after this many holds returned to this shop", unit: "holds" },
];
const INPUT = "mt-1 w-28 rounded-md border border-slate-300 bg-white px-2 py-1";

export function RiskSettingsForm({
  thresholds,
  caps,
}: {
  thresholds: RiskThresholds;
  caps: { perPlayerUsd: string | null; totalUsd: string | null };
}) {
  const save = useMutation({
    mutationFn: (body: { thresholds: RiskThresholds; caps: typeof caps }) =>
      callApi("/api/settings/risk", { method: "PATCH", json: body }),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const cap = (name: string) => {
      const value = String(data.get(name) ?? "").trim();
      return value === "" ? null : value;
    };
    save.mutate({
      thresholds: Object.fromEntries(FIELDS.map((f) => [f.key, Number(data.get(f.key))])) as RiskThresholds,
      caps: { perPlayerUsd: cap("perPlayerUsd"), totalUsd: cap("totalUsd") },
    });
  }
  return (
    <form method="post" onSubmit={submit} className="space-y-4 text-sm">
      <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-semibold">Risk rules</legend>
        <div className="space-y-2">
          {FIELDS.map((f) => (
            <label key={f.key} className="flex flex-wrap items-center justify-between gap-2">
              <span>{f.label}</span>
              <span className="flex items-center gap-2">
                <input
                  name={f.key}
                  type="number"
                  min={0}
                  step={f.key === "highRollbackPercent" ? 0.1 : 1}
                  required
                  defaultValue={thresholds[f.key]}
                  className={INPUT}
                />
                <span className="w-16 text-slate-500">{f.unit}</span>
              </span>
            </label>
          ))}
          <p className="text-xs text-slate-500">
            Missing or unreadable risk data is always at least medium: the block is not covered by SkinsBack's
            signature.
          </p>
        </div>
      </fieldset>
      <fieldset className="rounded-lg border border-slate-200 bg-white p-4">
        <legend className="px-1 font-semibold">Exposure caps (USD; empty = no cap)</legend>
        <label className="flex flex-wrap items-center justify-between gap-2">
          <span>Per player: money released early and not final</span>
          <input
            name="perPlayerUsd"
            inputMode="decimal"
            defaultValue={caps.perPlayerUsd ?? ""}
            className={INPUT}
          />
        </label>
        <label className="mt-2 flex flex-wrap items-center justify-between gap-2">
          <span>In total</span>
          <input name="totalUsd" inputMode="decimal" defaultValue={caps.totalUsd ?? ""} className={INPUT} />
        </label>
      </fieldset>
      <div className="flex items-center gap-3">
        <SaveButton save={save} saved="Saved. The queue uses the new thresholds now." />
      </div>
    </form>
  );
}
