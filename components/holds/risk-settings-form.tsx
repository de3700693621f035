"use client";

import { type FormEvent, useState } from "react";
import { callApi } from "@/components/api-client";
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
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: boolean }>({
    busy: false,
    message: null,
    error: false,
  });
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = Object.fromEntries(FIELDS.map((f) => [f.key, Number(data.get(f.key))])) as RiskThresholds;
    const cap = (name: string) => {
      const value = String(data.get(name) ?? "").trim();
      return value === "" ? null : value;
    };
    setState({ busy: true, message: null, error: false });
    try {
      await callApi("/api/settings/risk", {
        method: "PATCH",
        json: { thresholds: next, caps: { perPlayerUsd: cap("perPlayerUsd"), totalUsd: cap("totalUsd") } },
      });
      setState({ busy: false, message: "Saved. The queue uses the new thresholds now.", error: false });
    } catch (error) {
      setState({ busy: false, message: (error as Error).message, error: true });
    }
  }
  return (
    <form onSubmit={save} className="space-y-4 text-sm">
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
        <button
          type="submit"
          disabled={state.busy}
          className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white disabled:opacity-50"
        >
          {state.busy ? "Saving…" : "Save"}
        </button>
        {state.message && (
          <span
            role={state.error ? "alert" : "status"}
            className={state.error ? "text-rose-800" : "text-emerald-800"}
          >
            {state.message}
          </span>
        )}
      </div>
    </form>
  );
}
