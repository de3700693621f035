"use client";

import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { callApi } from "@/components/api-client";
import { SaveButton } from "@/components/ui/save-button";
import type { ChannelView } from "@/lib/alerts/channels";

/** A rule as the form shows it: passed from the server (the catalogue itself brings zod). */
export type RuleForm = {
  name: string;
  label: string;
  description: string;
  fields: { key: string; label: string; kind: "number" | "usd" }[];
  settings: Record<string, unknown> & { enabled: boolean; channels: number[] };
};

/** Every rule on one form: on/off, thresholds, the channels it tells (none ticked: every enabled channel). */
export function RulesForm({
  rules,
  channels,
  reminderMinutes,
  watchdog,
}: {
  rules: RuleForm[];
  channels: ChannelView[];
  reminderMinutes: number;
  watchdog: { pendingMinutes: number; holdGraceMinutes: number };
}) {
  const save = useMutation({
    mutationFn: (body: unknown) => callApi("/api/settings/alerts/rules", { method: "PUT", json: body }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const out: Record<string, unknown> = {};
    for (const rule of rules) {
      const settings: Record<string, unknown> = {
        enabled: data.get(`${rule.name}.enabled`) === "on",
        channels: channels.filter((c) => data.get(`${rule.name}.channel.${c.id}`) === "on").map((c) => c.id),
      };
      for (const field of rule.fields) {
        const value = String(data.get(`${rule.name}.${field.key}`) ?? "").trim();
        settings[field.key] = field.kind === "usd" ? value : Number(value);
      }
      out[rule.name] = settings;
    }
    save.mutate({
      rules: out,
      reminderMinutes: Number(data.get("reminderMinutes")),
      watchdog: {
        pendingMinutes: Number(data.get("pendingMinutes")),
        holdGraceMinutes: Number(data.get("holdGraceMinutes")),
      },
    });
  };
  return (
    <form method="post" onSubmit={submit} className="space-y-3 text-sm" data-testid="rules-form">
      <label className="flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white p-3">
        <span className="grow">
          Remind every (minutes) while an incident is open and nobody has acknowledged it
        </span>
        <input
          name="reminderMinutes"
          type="number"
          min={5}
          max={10080}
          required
          defaultValue={reminderMinutes}
          className="w-24 rounded-md border border-slate-300 bg-white px-2 py-1"
        />
      </label>
      <fieldset className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <legend className="px-1 font-medium">Watchdogs: when a deposit counts as stuck</legend>
        <MinutesInput
          name="pendingMinutes"
          label="pending longer than (minutes)"
          min={1}
          value={watchdog.pendingMinutes}
        />
        <MinutesInput
          name="holdGraceMinutes"
          label="in a hold this long past its end (minutes)"
          min={0}
          value={watchdog.holdGraceMinutes}
        />
      </fieldset>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {rules.map((rule) => (
          <li key={rule.name} className="space-y-2 p-3" data-testid={`rule-${rule.name}`}>
            <label className="flex items-start gap-2">
              <input
                type="checkbox"
                name={`${rule.name}.enabled`}
                defaultChecked={rule.settings.enabled}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{rule.label}</span>
                <span className="block text-xs text-slate-500">{rule.description}</span>
              </span>
            </label>
            <div className="flex flex-wrap gap-3 pl-6">
              {rule.fields.map((field) => (
                <label key={field.key} className="flex items-center gap-2">
                  <span className="text-xs text-slate-600">{field.label}</span>
                  <input
                    name={`${rule.name}.${field.key}`}
                    required
                    inputMode={field.kind === "usd" ? "decimal" : "numeric"}
                    defaultValue={String(rule.settings[field.key] ?? "")}
                    className="w-28 rounded-md border border-slate-300 bg-white px-2 py-1"
                  />
                </label>
              ))}
              {channels.length > 0 && (
                <fieldset className="flex flex-wrap items-center gap-2">
                  <legend className="sr-only">Channels for {rule.label}</legend>
                  <span className="text-xs text-slate-600">Tell:</span>
                  {channels.map((c) => (
                    <label key={c.id} className="flex items-center gap-1 text-xs">
                      <input
                        type="checkbox"
                        name={`${rule.name}.channel.${c.id}`}
                        defaultChecked={rule.settings.channels.includes(c.id)}
                      />
                      {c.name}
                    </label>
                  ))}
                  <span className="text-xs text-slate-500">(none ticked: every channel that is on)</span>
                </fieldset>
              )}
            </div>
          </li>
        ))}
      </ul>
      <div className="flex items-center gap-2">
        <SaveButton save={save} saved="Saved. The next evaluation uses it." />
      </div>
    </form>
  );
}

function MinutesInput({
  name,
  label,
  min,
  value,
}: {
  name: string;
  label: string;
  min: number;
  value: number;
}) {
  return (
    <label className="flex items-center gap-2">
      <span className="text-xs text-slate-600">{label}</span>
      <input
        name={name}
        type="number"
        min={min}
        max={10080}
        required
        defaultValue={value}
        className="w-24 rounded-md border border-slate-300 bg-white px-2 py-1"
      />
    </label>
  );
}
