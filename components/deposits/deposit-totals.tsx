"use client";

import { useQuery } from "@tanstack/react-query";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import { formatMoney } from "@/components/ui/format";
import type { DepositTotals } from "@/lib/deposits/queries";

/** "N deposits · sums" for the list's filters, refreshed with the rows, so the two never disagree for long. */
export function DepositTotalsLine({ initial, filterQuery }: { initial: DepositTotals; filterQuery: string }) {
  const query = useQuery({
    queryKey: queryKeys.depositTotals(filterQuery),
    queryFn: () => callApi<DepositTotals>(`/api/deposits/totals?${filterQuery}`),
    initialData: initial,
    refetchInterval: 5_000,
  });
  const totals = query.data;
  return (
    <p className="text-sm text-slate-600" data-testid="deposit-totals">
      {totals.count.toLocaleString("en-US")}
      {totals.capped
        ? "+ deposits (narrow the filters for sums)"
        : ` deposit${totals.count === 1 ? "" : "s"}`}
      {totals.sums.length > 0 && " · "}
      {totals.sums
        .filter((s) => s.sum !== null)
        .slice(0, 6)
        .map((s) => formatMoney(s.sum, s.currency))
        .join(" · ")}
    </p>
  );
}
