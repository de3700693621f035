"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const AXIS = { stroke: "var(--color-slate-500)", fontSize: 12 };

/** Clawbacks (hold_returned) per UTC day: how many deposits. Drawing only; the table below has the money. */
export function ClawbackChart({ days }: { days: { day: string; deposits: number }[] }) {
  return (
    <div
      role="img"
      aria-label={`Holds returned per day: ${days.reduce((n, d) => n + d.deposits, 0)} in 90 days`}
    >
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="var(--color-slate-200)" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} tick={AXIS} stroke={AXIS.stroke} />
          <YAxis allowDecimals={false} tick={AXIS} stroke={AXIS.stroke} />
          <Tooltip
            contentStyle={{
              backgroundColor: "var(--color-white)",
              border: "1px solid var(--color-slate-200)",
              color: "var(--color-slate-900)",
              fontSize: 12,
            }}
          />
          <Bar
            dataKey="deposits"
            name="holds returned"
            fill="var(--color-fuchsia-500)"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
