"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/api-client";
import { STATUS_LABELS, StatusBadge } from "@/components/deposits/status-badge";
import { hrefWithQuery } from "@/components/links";
import { queryKeys } from "@/components/query-keys";
import { formatMoney } from "@/components/ui/format";
import { MoneyList } from "@/components/ui/money-list";
import { SaveButton } from "@/components/ui/save-button";
import { Relative, Time } from "@/components/ui/time";
import type { Overview } from "@/lib/overview/overview";
import type { SkinsbackHealth } from "@/lib/overview/skinsback-health";
import { formatMinutes, useSilence } from "./use-silence";

// recharts is the heaviest library here: loaded after the page, so the figures show before the charts.
const chartSkeleton = () => <div className="h-[260px] animate-pulse rounded-md bg-slate-100" />;
const DepositsPerDayChart = dynamic(() => import("./charts").then((m) => m.DepositsPerDayChart), {
  ssr: false,
  loading: chartSkeleton,
});
const MoneyPerDayChart = dynamic(() => import("./charts").then((m) => m.MoneyPerDayChart), {
  ssr: false,
  loading: chartSkeleton,
});

const PERIODS = [7, 30, 90] as const;
const CARD = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";

export function OverviewScreen({ initial, isAdmin }: { initial: Overview; isAdmin: boolean }) {
  const days = initial.days;
  const query = useQuery({
    queryKey: queryKeys.overview(days),
    queryFn: () => callApi<Overview>(`/api/overview?days=${days}`),
    initialData: initial,
    refetchInterval: 15_000,
  });
  const overview = query.data;
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
        <h1 className="text-xl font-semibold">Overview</h1>
        <nav aria-label="Period" className="flex gap-1 text-sm">
          {PERIODS.map((p) => (
            <Link
              key={p}
              href={`/?days=${p}`}
              aria-current={p === days ? "page" : undefined}
              className={`rounded-md px-2.5 py-1 ring-1 ring-inset ${
                p === days
                  ? "bg-slate-900 text-white ring-slate-900"
                  : "text-slate-700 ring-slate-300 hover:bg-slate-100"
              }`}
            >
              {p} days
            </Link>
          ))}
        </nav>
      </div>
      {query.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          The overview could not be refreshed ({query.error.message}). Showing the last loaded figures.
        </p>
      )}
      <div className="grid items-start gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
        <SkinsbackCard />
        <NotificationsCard isAdmin={isAdmin} />
        <div className={CARD} data-testid="open-failed">
          <h2 className="text-sm font-medium text-slate-500">Failed notifications</h2>
          <p className="mt-1 text-2xl font-semibold tabular-nums">
            {overview.openFailed.toLocaleString("en-US")}
          </p>
          <p className="text-sm text-slate-600">
            open ·{" "}
            <Link href="/webhooks/failed" className="text-sky-700 hover:underline">
              review and replay
            </Link>
          </p>
          <p className="text-xs text-slate-500" data-testid="failed-synced">
            {overview.failedListSyncedAt ? (
              <>
                SkinsBack's list as of <Time value={overview.failedListSyncedAt} />
              </>
            ) : (
              "SkinsBack's list not read yet"
            )}
          </p>
        </div>
        <div className={CARD} data-testid="stuck-deposits">
          <h2 className="text-sm font-medium text-slate-500">Stuck and different</h2>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{overview.stuck.toLocaleString("en-US")}</p>
          <p className="text-sm text-slate-600">
            stuck ·{" "}
            <Link href="/deposits?stuck=1" className="text-sky-700 hover:underline">
              see them
            </Link>
          </p>
          <p className="text-xs text-slate-500">
            {overview.differences.toLocaleString("en-US")} difference{overview.differences === 1 ? "" : "s"}{" "}
            with SkinsBack to decide ·{" "}
            <Link href="/reconciliation" className="text-sky-700 underline">
              reconciliation
            </Link>{" "}
            · {overview.openIncidents.toLocaleString("en-US")} open alert
            {overview.openIncidents === 1 ? "" : "s"} ·{" "}
            <Link href="/alerts" className="text-sky-700 underline">
              alerts
            </Link>
          </p>
        </div>
        <div className={CARD} data-testid="released-early">
          <h2 className="text-sm font-medium text-slate-500">Released early, not yet final</h2>
          <p className="mt-1 text-2xl font-semibold tabular-nums">
            {overview.releasedEarly.deposits.toLocaleString("en-US")}
          </p>
          <div className="text-sm text-slate-600">
            <MoneyList money={overview.releasedEarly.money} />
          </div>
          <p className="mt-1 text-xs text-slate-500">
            deposits in “hold approved”: credited now, can still be returned
          </p>
        </div>
      </div>

      <div className="grid items-start gap-4 lg:grid-cols-2">
        <figure className={CARD}>
          <figcaption className="mb-2 text-sm font-medium">
            Deposits per day by status <span className="font-normal text-slate-500">(UTC days)</span>
          </figcaption>
          <DepositsPerDayChart days={overview.perDay} />
        </figure>
        <figure className={CARD}>
          <figcaption className="mb-2 text-sm font-medium">
            Money credited per day{" "}
            <span className="font-normal text-slate-500">(by day of deposit, UTC)</span>
          </figcaption>
          <MoneyPerDayChart days={overview.perDay} currencies={overview.currencies} />
        </figure>
      </div>

      <div className={CARD}>
        <h2 className="mb-2 text-sm font-medium">
          By status, {overview.from} to {overview.to}{" "}
          <span className="font-normal text-slate-500">
            (deposits created in the period, by their status now)
          </span>
        </h2>
        <table className="w-full text-sm" data-testid="status-totals">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-1 font-medium">Status</th>
              <th className="py-1 text-right font-medium">Deposits</th>
              <th className="py-1 text-right font-medium">Money</th>
            </tr>
          </thead>
          <tbody>
            {overview.byStatus.map((s) => (
              <tr key={s.status} className="border-t border-slate-100 align-top" data-status={s.status}>
                <td className="py-1.5">
                  <Link
                    href={hrefWithQuery("/deposits", {
                      status: s.status,
                      from: overview.from,
                      to: overview.to,
                    })}
                    className="hover:underline"
                    aria-label={`${STATUS_LABELS[s.status]}: open these deposits`}
                  >
                    <StatusBadge status={s.status} />
                  </Link>
                </td>
                <td className="py-1.5 text-right tabular-nums">{s.deposits.toLocaleString("en-US")}</td>
                <td className="py-1.5 text-right">
                  <span className="inline-flex justify-end">
                    <MoneyList money={s.money} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const HEALTH_LABELS: Record<SkinsbackHealth["state"], { text: string; tone: string }> = {
  up: { text: "available", tone: "bg-emerald-50 text-emerald-800 ring-emerald-300" },
  maintenance: { text: "under maintenance", tone: "bg-amber-50 text-amber-800 ring-amber-300" },
  unavailable: { text: "not available", tone: "bg-amber-50 text-amber-800 ring-amber-300" },
  unreachable: { text: "unreachable", tone: "bg-rose-50 text-rose-800 ring-rose-300" },
  error: { text: "error", tone: "bg-rose-50 text-rose-800 ring-rose-300" },
};

function SkinsbackCard() {
  const query = useQuery({
    queryKey: queryKeys.skinsbackHealth,
    queryFn: () => callApi<SkinsbackHealth>("/api/overview/skinsback"),
    refetchInterval: 30_000,
  });
  const health = query.data;
  return (
    <div className={CARD} data-testid="skinsback-health" aria-busy={query.isPending}>
      <h2 className="text-sm font-medium text-slate-500">SkinsBack</h2>
      {query.isPending ? (
        <div className="mt-2 space-y-2" role="status" aria-label="Loading SkinsBack's status">
          <div className="h-6 w-32 animate-pulse rounded bg-slate-100" />
          <div className="h-4 w-40 animate-pulse rounded bg-slate-100" />
        </div>
      ) : query.isError ? (
        <p role="alert" className="mt-1 text-sm text-rose-800">
          The console could not ask: {query.error.message}
        </p>
      ) : health ? (
        <>
          <p className="mt-1">
            <span
              data-state={health.state}
              className={`inline-flex rounded-md px-2 py-0.5 text-sm font-medium ring-1 ring-inset ${HEALTH_LABELS[health.state].tone}`}
            >
              {HEALTH_LABELS[health.state].text}
            </span>
          </p>
          {health.message && <p className="mt-1 text-sm text-slate-700">{health.message}</p>}
          {health.balance ? (
            <p className="mt-1 text-sm">
              Balance{" "}
              <span className="font-semibold tabular-nums">
                {health.balance.inCurrencies.usd
                  ? formatMoney(health.balance.inCurrencies.usd, "usd")
                  : `${formatMoney(health.balance.base)} (base currency, unverified)`}
              </span>
            </p>
          ) : (
            <p className="mt-1 text-sm text-slate-500">Balance unknown while SkinsBack does not answer.</p>
          )}
          <p className="mt-1 text-xs text-slate-500">
            checked <Relative value={health.checkedAt} />
          </p>
        </>
      ) : null}
    </div>
  );
}

function NotificationsCard({ isAdmin }: { isAdmin: boolean }) {
  const { data: silence } = useSilence();
  if (!silence) {
    return <div className={`${CARD} h-28 animate-pulse`} data-testid="last-notification" />;
  }
  return (
    <div className={CARD} data-testid="last-notification">
      <h2 className="text-sm font-medium text-slate-500">Last notification</h2>
      <p className="mt-1 text-2xl font-semibold">
        {silence.lastNotificationAt ? <Relative value={silence.lastNotificationAt} /> : "none yet"}
      </p>
      {silence.lastNotificationAt && (
        <p className="text-xs text-slate-500">
          <Time value={silence.lastNotificationAt} />
        </p>
      )}
      <p className={`mt-1 text-sm ${silence.alarm ? "font-medium text-rose-800" : "text-slate-600"}`}>
        {silence.alarm
          ? `Silent for over ${formatMinutes(silence.thresholdMinutes)}`
          : `Alarm after ${formatMinutes(silence.thresholdMinutes)} of silence`}
        {!silence.expectingTraffic && " (no deposits in the last 24 hours: no alarm)"}
      </p>
      {isAdmin && <SilenceThresholdForm current={silence.thresholdMinutes} />}
    </div>
  );
}

function SilenceThresholdForm({ current }: { current: number }) {
  const client = useQueryClient();
  const [value, setValue] = useState(String(current));
  const save = useMutation({
    mutationFn: (silenceMinutes: number) =>
      callApi("/api/settings/alarms", { method: "PATCH", json: { silenceMinutes } }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.silence }),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(Number(value));
  }
  return (
    <form method="post" onSubmit={submit} className="mt-2 flex flex-wrap items-end gap-2 text-sm">
      <label className="flex flex-col text-xs text-slate-600">
        Alarm after (minutes)
        <input
          name="silenceMinutes"
          type="number"
          min={0.1}
          max={10080}
          step={0.1}
          required
          value={value}
          onChange={(e) => setValue(e.target.value)}
          className="w-24 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        />
      </label>
      <SaveButton save={save} variant="secondary" />
    </form>
  );
}
