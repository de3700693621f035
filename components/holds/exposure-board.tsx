"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { callApi } from "@/components/api-client";
import { hrefWithQuery } from "@/components/links";
import { queryKeys } from "@/components/query-keys";
import { formatMoney } from "@/components/ui/format";
import { MoneyList } from "@/components/ui/money-list";
import type { Exposure } from "@/lib/holds/exposure";

const ClawbackChart = dynamic(() => import("./clawback-chart").then((m) => m.ClawbackChart), {
  ssr: false,
  loading: () => <div className="h-[200px] animate-pulse rounded-md bg-slate-100" />,
});

const CARD = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";

/** Deposits and money per UTC day. */
function DayTable({
  days,
  testId,
  overdueBefore,
}: {
  days: Exposure["clawbacks"];
  testId: string;
  /** Days before this one are holds that ended without the final notification: said so. */
  overdueBefore?: string;
}) {
  return (
    <table className="mt-2 w-full text-sm" data-testid={testId}>
      <thead>
        <tr className="text-left text-slate-500">
          <th className="py-1 font-medium">Day</th>
          <th className="py-1 text-right font-medium">Deposits</th>
          <th className="py-1 text-right font-medium">Money</th>
        </tr>
      </thead>
      <tbody>
        {days.map((d) => (
          <tr key={d.day} className="border-t border-slate-100 align-top">
            <td className="py-1">
              {d.day}
              {overdueBefore && d.day !== "unknown" && d.day < overdueBefore && (
                <span className="block text-xs text-amber-800" data-testid="overdue">
                  hold ended, final notification missing: refresh these deposits from SkinsBack
                </span>
              )}
            </td>
            <td className="py-1 text-right tabular-nums">{d.deposits}</td>
            <td className="py-1 text-right">
              <MoneyList money={d.money} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ExposureBoard({ initial }: { initial: Exposure }) {
  const { data: e } = useQuery({
    queryKey: queryKeys.exposure,
    queryFn: () => callApi<Exposure>("/api/holds/exposure"),
    initialData: initial,
    refetchInterval: 15_000,
  });
  return (
    <div className="space-y-4">
      <div className="grid items-start gap-4 sm:grid-cols-3">
        <div className={CARD} data-testid="exposed-total">
          <h2 className="text-sm font-medium text-slate-500">Released early, not final</h2>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{formatMoney(e.totals.usd, "usd")}</p>
          <p className="text-sm text-slate-600">
            {e.totals.deposits} deposit{e.totals.deposits === 1 ? "" : "s"} in “hold approved”
          </p>
          <div className="mt-1 text-xs text-slate-600">
            <MoneyList money={e.totals.money} />
          </div>
        </div>
        <div className={CARD} data-testid="clawback-total">
          <h2 className="text-sm font-medium text-slate-500">Clawed back, last 90 days</h2>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{e.clawbackTotals.deposits}</p>
          <div className="text-sm text-slate-600">
            <MoneyList money={e.clawbackTotals.money} />
          </div>
        </div>
        <div className={CARD} data-testid="caps">
          <h2 className="text-sm font-medium text-slate-500">Caps</h2>
          <p className="mt-1 text-sm">
            per player: {e.caps.perPlayerUsd ? formatMoney(e.caps.perPlayerUsd, "usd") : "none"}
          </p>
          <p className="text-sm">
            in total: {e.caps.totalUsd ? formatMoney(e.caps.totalUsd, "usd") : "none"}
          </p>
          <p className="mt-1 text-xs text-slate-500">
            An approval above a cap is refused.{" "}
            <Link href="/settings/risk" className="text-sky-700 underline">
              Settings (admin)
            </Link>
          </p>
        </div>
      </div>

      <div className="grid items-start gap-4 lg:grid-cols-2">
        <section className={CARD}>
          <h2 className="mb-2 text-sm font-medium">Becomes final on (the hold's end, UTC)</h2>
          {e.untilFinal.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing released early is waiting.</p>
          ) : (
            <DayTable days={e.untilFinal} testId="until-final" overdueBefore={e.today} />
          )}
        </section>
        <section className={CARD}>
          <h2 className="mb-2 text-sm font-medium">
            Clawbacks (hold returned) per day the console heard of them, last 90 days
          </h2>
          {e.clawbacks.length === 0 ? (
            <p className="text-sm text-slate-500">No hold was returned in 90 days.</p>
          ) : (
            <>
              <ClawbackChart days={e.clawbacks} />
              <DayTable days={e.clawbacks} testId="clawbacks" />
            </>
          )}
        </section>
      </div>

      <section className={CARD}>
        <h2 className="mb-2 text-sm font-medium">
          Players with the most exposure (USD, SkinsBack's conversion)
        </h2>
        {e.topPlayers.length === 0 ? (
          <p className="text-sm text-slate-500">No player has money released early.</p>
        ) : (
          <table className="w-full text-sm" data-testid="top-players">
            <tbody>
              {e.topPlayers.map((p) => (
                <tr key={p.steamId} className="border-t border-slate-100">
                  <td className="py-1 font-mono">
                    <Link
                      href={hrefWithQuery("/deposits", { q: p.steamId })}
                      className="text-sky-700 underline"
                    >
                      {p.steamId}
                    </Link>
                  </td>
                  <td className="py-1 text-right tabular-nums">{p.deposits}</td>
                  <td className="py-1 text-right tabular-nums">{formatMoney(p.usd, "usd")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
