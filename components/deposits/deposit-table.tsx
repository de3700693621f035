"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import { formatMoney } from "@/components/ui/format";
import { Time } from "@/components/ui/time";
import type { DepositListParams, DepositPage } from "@/lib/deposits/queries";
import { StatusBadge } from "./status-badge";

async function fetchDeposits(params: DepositListParams, filterQuery: string): Promise<DepositPage> {
  const search = new URLSearchParams(filterQuery);
  search.set("limit", String(params.limit));
  if (params.cursor) search.set("cursor", params.cursor);
  return callApi<DepositPage>(`/api/deposits?${search}`).catch((error: Error) => {
    throw new Error(`The deposit list could not be loaded (${error.message}).`);
  });
}

export function DepositTable({
  params,
  filterQuery,
  initialPage,
}: {
  params: DepositListParams;
  /** The list's filters as a query string (without cursor), kept by the polling and the page links. */
  filterQuery: string;
  initialPage: DepositPage;
}) {
  const isFirstPage = !params.cursor;
  const query = useQuery({
    queryKey: queryKeys.deposits(params),
    queryFn: () => fetchDeposits(params, filterQuery),
    initialData: initialPage,
    // Only the first page changes as notifications arrive; older pages are stable.
    refetchInterval: isFirstPage ? 5_000 : false,
  });
  const page = query.data;

  return (
    <div className="space-y-3">
      {query.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {query.error.message} Showing the last loaded data.
        </p>
      )}
      {/* At a phone's width: one card per deposit, status and amount first (a table would scroll sideways). */}
      <ul className="space-y-2 sm:hidden" data-testid="deposit-cards">
        {page.items.map((d) => (
          <li
            key={d.transactionId}
            className="rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm"
          >
            <div className="flex items-center justify-between gap-2">
              <StatusBadge status={d.status} />
              <span className="font-medium tabular-nums">{formatMoney(d.amount, d.amountCurrency)}</span>
            </div>
            <Link
              href={`/deposits/${encodeURIComponent(d.transactionId)}`}
              className="mt-1 block font-mono text-xs text-sky-700 hover:underline"
            >
              {d.transactionId}
            </Link>
            <p className="mt-0.5 truncate font-mono text-xs text-slate-500">{d.orderId}</p>
            <p className="mt-0.5 text-xs whitespace-nowrap text-slate-500">
              <Time value={d.createdAt} />
            </p>
            {d.anomaly && <p className="mt-1 text-xs font-semibold text-rose-700">CONFLICT: {d.anomaly}</p>}
          </li>
        ))}
      </ul>
      <div className="relative hidden overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm sm:block">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2">Created</th>
              <th className="px-4 py-2">Order</th>
              <th className="px-4 py-2">Transaction</th>
              <th className="px-4 py-2">Steam ID</th>
              <th className="px-4 py-2">Status</th>
              <th className="px-4 py-2 text-right">Amount</th>
              <th className="px-4 py-2 text-right">User amount</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="deposit-rows">
            {page.items.map((d) => (
              <tr key={d.transactionId} className="hover:bg-slate-50" data-transaction-id={d.transactionId}>
                <td className="whitespace-nowrap px-4 py-2 text-slate-600">
                  <Time value={d.createdAt} />
                </td>
                {/* Long ids wrap instead of pushing the amounts out of a 1280 px screen. */}
                <td className="max-w-[12rem] px-4 py-2 font-mono text-xs break-all">{d.orderId}</td>
                <td className="max-w-[10rem] px-4 py-2 font-mono text-xs break-all">
                  <Link
                    href={`/deposits/${encodeURIComponent(d.transactionId)}`}
                    className="text-sky-700 hover:underline"
                  >
                    {d.transactionId}
                  </Link>
                  {d.anomaly && (
                    <span
                      title={d.anomaly}
                      className="ml-2 rounded bg-rose-100 px-1 text-[10px] font-semibold text-rose-700"
                    >
                      CONFLICT
                    </span>
                  )}
                </td>
                <td className="px-4 py-2 font-mono text-xs text-slate-600">{d.steamId ?? "—"}</td>
                <td className="px-4 py-2">
                  <StatusBadge status={d.status} />
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">
                  {formatMoney(d.amount, d.amountCurrency)}
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums text-slate-600">
                  {formatMoney(d.userAmount, d.amountCurrency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.items.length === 0 && filterQuery !== "" && (
        <div className="rounded-lg border border-slate-200 bg-white px-6 py-12 text-center text-sm text-slate-500">
          No deposit matches these filters.
        </div>
      )}
      {page.items.length === 0 && filterQuery === "" && (
        <div className="rounded-lg border border-slate-200 bg-white px-6 py-12 text-center text-sm text-slate-500">
          <p className="font-medium text-slate-700">No deposits yet.</p>
          <p className="mt-1">
            Set the Result URL in the SkinsBack panel to <code>https://your-host/api/webhooks/skinsback</code>
            , or send a signed test notification with <code>npm run webhook:send</code>.
          </p>
        </div>
      )}
      <nav className="flex justify-between text-sm">
        {isFirstPage ? (
          <span />
        ) : (
          <Link
            href={`/deposits${filterQuery ? `?${filterQuery}` : ""}`}
            className="text-sky-700 hover:underline"
          >
            ← Newest
          </Link>
        )}
        {page.nextCursor && (
          <Link
            href={`/deposits?${filterQuery ? `${filterQuery}&` : ""}cursor=${encodeURIComponent(page.nextCursor)}`}
            className="text-sky-700 hover:underline"
          >
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}
