"use client";

import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { STATUS_LABELS } from "@/components/deposits/status-badge";
import { formatMoney } from "@/components/ui/format";
import type { OverviewDay } from "@/lib/overview/overview";
import { DEPOSIT_STATUSES } from "@/lib/skinsback/deposit-status";

// Tailwind's palette variables: app/globals.css mirrors them in dark mode, so the charts follow the theme.
const STATUS_COLORS = {
  pending: "var(--color-slate-400)",
  in_hold: "var(--color-amber-500)",
  hold_approved: "var(--color-sky-500)",
  success: "var(--color-emerald-500)",
  fail: "var(--color-rose-500)",
  hold_returned: "var(--color-fuchsia-500)",
} as const;
const AXIS = { stroke: "var(--color-slate-500)", fontSize: 12 };
const TOOLTIP_STYLE = {
  backgroundColor: "var(--color-white)",
  border: "1px solid var(--color-slate-200)",
  color: "var(--color-slate-900)",
  fontSize: 12,
};
const shortDay = (day: string) => day.slice(5);

/** Deposits per UTC day, stacked by their current status. */
export function DepositsPerDayChart({ days }: { days: OverviewDay[] }) {
  const data = days.map((d) => ({ day: d.day, ...d.counts }));
  const total = days.reduce((n, d) => n + Object.values(d.counts).reduce((a, b) => a + b, 0), 0);
  return (
    <div
      role="img"
      aria-label={`Deposits per day, stacked by status: ${total} deposits in ${days.length} days`}
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="var(--color-slate-200)" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} stroke={AXIS.stroke} minTickGap={12} />
          <YAxis allowDecimals={false} tick={AXIS} stroke={AXIS.stroke} />
          <Tooltip contentStyle={TOOLTIP_STYLE} cursor={{ fill: "var(--color-slate-100)" }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {DEPOSIT_STATUSES.map((status) => (
            <Bar
              key={status}
              dataKey={status}
              name={STATUS_LABELS[status]}
              stackId="status"
              fill={STATUS_COLORS[status]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/**
 * Money credited per UTC day of deposit, in one currency at a time (amounts in different currencies do not add
 * up): settled (success) and released early (hold_approved). Bar heights are floats — drawing only; the tooltip
 * shows the exact amounts.
 */
export function MoneyPerDayChart({ days, currencies }: { days: OverviewDay[]; currencies: string[] }) {
  const [picked, setPicked] = useState<string | null>(null);
  const currency = picked && currencies.includes(picked) ? picked : currencies[0];
  if (!currency) {
    return <p className="py-16 text-center text-sm text-slate-500">No money in this period yet.</p>;
  }
  const data = days.map((d) => ({
    day: d.day,
    settled: Number(d.settled[currency] ?? 0),
    releasedEarly: Number(d.releasedEarly[currency] ?? 0),
    exact: { settled: d.settled[currency] ?? "0", releasedEarly: d.releasedEarly[currency] ?? "0" },
  }));
  return (
    <div>
      <label className="flex items-center gap-2 text-sm text-slate-600">
        Currency
        <select
          value={currency}
          onChange={(e) => setPicked(e.target.value)}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        >
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      <div
        role="img"
        aria-label={`Money credited per day in ${currency.toUpperCase()}: settled and released early`}
      >
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid stroke="var(--color-slate-200)" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={AXIS} stroke={AXIS.stroke} minTickGap={12} />
            <YAxis tick={AXIS} stroke={AXIS.stroke} />
            <Tooltip
              contentStyle={TOOLTIP_STYLE}
              cursor={{ fill: "var(--color-slate-100)" }}
              formatter={(_value, name, item) => {
                const key = item.dataKey === "settled" ? "settled" : "releasedEarly";
                return [formatMoney((item.payload as (typeof data)[number]).exact[key], currency), name];
              }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar
              dataKey="settled"
              name="settled (success)"
              stackId="money"
              fill={STATUS_COLORS.success}
              isAnimationActive={false}
            />
            <Bar
              dataKey="releasedEarly"
              name="released early (hold approved)"
              stackId="money"
              fill={STATUS_COLORS.hold_approved}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
