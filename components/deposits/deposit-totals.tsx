"use client";

import { useQuery } from "@tanstack/react-query";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import { formatMoney } from "@/components/ui/format";
import type { DepositTotals } from "@/lib/deposits/queries";

/** Sums shown on the line before the rest folds behind "+N more" (which opens them): none is ever dropped. */
const SHOWN_AT_ONCE = 6;

/** "N deposits · sums" for the list's filters, refreshed with the rows, so the two never disagree for long. */
export function DepositTotalsLine({ initial, filterQuery }: { initial: DepositTotals; filterQuery: string }) {
  const query = useQuery({
    queryKey: queryKeys.depositTotals(filterQuery),
    queryFn: () => callApi<DepositTotals>(`/api/deposits/totals?${filterQuery}`),
    initialData: initial,
    refetchInterval: 5_000,
  });
  const totals = query.data;
  const sums = totals.sums.filter((s) => s.sum !== null).map((s) => formatMoney(s.sum, s.currency));
  const first = sums.slice(0, SHOWN_AT_ONCE);
  const rest = sums.slice(SHOWN_AT_ONCE);
  return (
    <div className="text-sm text-slate-600" data-testid="deposit-totals">
      {totals.count.toLocaleString("en-US")}
      {totals.capped
        ? "+ deposits (narrow the filters for sums)"
        : ` deposit${totals.count === 1 ? "" : "s"}`}
      {first.length > 0 && " · "}
      {first.join(" · ")}
      {rest.length > 0 && (
        <details className="inline">
          <summary className="ml-1 inline cursor-pointer text-sky-700 underline">+{rest.length} more</summary>
          <span> · {rest.join(" · ")}</span>
        </details>
      )}
    </div>
  );
}
