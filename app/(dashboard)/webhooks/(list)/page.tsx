import type { Metadata } from "next";
import Link from "next/link";
import { OutcomeChip } from "@/components/deliveries/outcome-chip";
import { DepositLink } from "@/components/deposits/deposit-link";
import { deliveryHref } from "@/components/links";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { DateRangeInputs, FILTER_INPUT, FilterActions, SelectFilter } from "@/components/ui/filter-form";
import { FilterIssues } from "@/components/ui/filter-issues";
import { columns, LogTable } from "@/components/ui/log-table";
import { OlderLink } from "@/components/ui/older-link";
import { Time } from "@/components/ui/time";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import {
  BODY_SEARCH_WINDOW,
  DELIVERY_OUTCOMES,
  deliveryFiltersSchema,
  listDeliveries,
} from "@/lib/deposits/delivery-log";
import { pageFilters } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Delivery log" };
export const dynamic = "force-dynamic";

/** Every request that reached the Result URL, as it was received and answered. */
export default async function DeliveryLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageOperator();
  const { raw, filters, issues } = pageFilters(deliveryFiltersSchema, await searchParams);
  const { db } = await getDatabase();
  const { deliveries, nextBefore } = await listDeliveries(db, filters);
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-xl font-semibold">Delivery log</h1>
        <p className="text-sm text-slate-500">
          Every request to the Result URL, newest first{filters.before ? "" : " · refreshes every 5 seconds"}
        </p>
      </div>
      {!filters.before && <AutoRefresh seconds={5} />}
      <form
        method="get"
        className="grid items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-4 lg:grid-cols-7"
      >
        <SelectFilter
          label="Outcome"
          name="outcome"
          defaultValue={raw.outcome ?? ""}
          any="any"
          options={DELIVERY_OUTCOMES.map((o) => [o, o.replace("_", " ")] as const)}
        />
        <label>
          <span className="text-xs text-slate-500">Transaction id</span>
          <input name="transactionId" defaultValue={raw.transactionId ?? ""} className={FILTER_INPUT} />
        </label>
        <label className="sm:col-span-2">
          <span className="text-xs whitespace-nowrap text-slate-500">
            Text in the body (newest {BODY_SEARCH_WINDOW.toLocaleString("en-US")})
          </span>
          <input name="text" defaultValue={raw.text ?? ""} className={FILTER_INPUT} />
        </label>
        <DateRangeInputs from={raw.from} to={raw.to} />
        <FilterActions clearHref="/webhooks" />
      </form>
      <FilterIssues issues={issues} />
      <LogTable
        testId="delivery-rows"
        columns={columns("Received", "Outcome", "Answered", "Signature", "Deposit", "From", "Took>")}
        empty={deliveries.length === 0 && "No request matches these filters."}
      >
        {deliveries.map((d) => (
          <tr key={d.id} data-delivery-id={d.id} data-outcome={d.outcome}>
            <td className="px-3 py-2 whitespace-nowrap">
              <Link href={deliveryHref(d.id)} className="text-sky-700 hover:underline">
                <Time value={d.receivedAt} />
              </Link>
              {d.replayOfDeliveryId && (
                <span className="block text-xs text-slate-500">replay of #{d.replayOfDeliveryId}</span>
              )}
            </td>
            <td className="px-3 py-2">
              <OutcomeChip value={d.outcome} />
              {d.notificationStatus && (
                <span className="ml-1 text-xs text-slate-500">{d.notificationStatus}</span>
              )}
            </td>
            <td className="px-3 py-2 font-mono text-xs">{d.httpStatus}</td>
            <td className="px-3 py-2 text-xs">
              sign {d.signCheck}
              {d.signVariant ? ` (${d.signVariant})` : ""} · X-SIGN {d.xSignCheck}
            </td>
            <td className="px-3 py-2">
              {d.transactionId ? (
                <DepositLink
                  transactionId={d.transactionId}
                  className="font-mono text-sky-700 hover:underline"
                />
              ) : (
                "—"
              )}
            </td>
            <td className="px-3 py-2 font-mono text-xs">{d.remoteAddress ?? "—"}</td>
            <td className="px-3 py-2 text-right text-xs whitespace-nowrap">{d.durationMs} ms</td>
          </tr>
        ))}
      </LogTable>
      <OlderLink path="/webhooks" params={raw} nextBefore={nextBefore} />
    </section>
  );
}
