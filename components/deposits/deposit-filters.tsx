import { Button } from "@/components/ui/button";
import {
  AmountRangeInputs,
  DateRangeInputs,
  FILTER_INPUT,
  FilterActions,
  SelectFilter,
} from "@/components/ui/filter-form";
import type { DepositFilters, DepositTotals } from "@/lib/deposits/queries";
import { DEPOSIT_STATUSES } from "@/lib/skinsback/deposit-status";
import { DepositTotalsLine } from "./deposit-totals";
import { STATUS_LABELS } from "./status-badge";

/**
 * The deposit list's filters as a plain GET form: they live in the URL, so a filtered list can be shared and
 * the back button works. Several statuses are sent as one comma-separated value.
 */
const SORT_OPTIONS = [
  ["newest", "Newest first"],
  ["oldest", "Oldest first"],
  ["amount_desc", "Largest amount first"],
  ["amount_asc", "Smallest amount first"],
] as const;

export function DepositFiltersForm({
  filters,
  totals,
  exportQuery,
}: {
  filters: DepositFilters;
  totals: DepositTotals;
  exportQuery: string;
}) {
  const chosen = new Set(filters.status ?? []);
  return (
    <div className="space-y-2">
      <form
        method="get"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm lg:grid-cols-6"
      >
        <label className="lg:col-span-2">
          <span className="text-xs text-slate-500">
            Search: transaction id, or the start of an order id or Steam id
          </span>
          <input name="q" type="search" defaultValue={filters.q ?? ""} className={FILTER_INPUT} />
        </label>
        <DateRangeInputs from={filters.from} to={filters.to} />
        <label>
          <span className="text-xs text-slate-500">Currency</span>
          <input
            name="currency"
            defaultValue={filters.currency ?? ""}
            placeholder="usd"
            className={FILTER_INPUT}
          />
        </label>
        <div className="grid grid-cols-2 gap-2">
          <AmountRangeInputs min={filters.min} max={filters.max} />
        </div>
        <SelectFilter
          label="Order"
          name="sort"
          defaultValue={filters.sort ?? "newest"}
          className="lg:col-span-1"
          options={SORT_OPTIONS}
        />
        <fieldset className="lg:col-span-3">
          <legend className="text-xs text-slate-500">Status</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {DEPOSIT_STATUSES.map((status) => (
              <label key={status} className="flex items-center gap-1.5">
                <input type="checkbox" name="status" value={status} defaultChecked={chosen.has(status)} />
                {STATUS_LABELS[status]}
              </label>
            ))}
            <label className="flex items-center gap-1.5">
              <input type="checkbox" name="flagged" value="1" defaultChecked={filters.flagged === "1"} />
              flagged (conflicts)
            </label>
            <label className="flex items-center gap-1.5">
              <input type="checkbox" name="stuck" value="1" defaultChecked={filters.stuck === "1"} />
              stuck (watchdog)
            </label>
          </div>
        </fieldset>
        <FilterActions
          clearHref="/deposits"
          className="flex items-end gap-2 lg:col-span-2 lg:justify-end"
          extra={
            // A POST (origin-checked) with the applied filters in its address: an export is audited, so no
            // link or prefetch may start one. The browser saves the answer as a file and stays on the page.
            <Button
              type="submit"
              formMethod="post"
              formAction={`/api/deposits/export${exportQuery ? `?${exportQuery}` : ""}`}
              variant="secondary"
              size="sm"
              title="CSV of every deposit matching these filters, in the chosen order (at most 100,000 rows)"
            >
              Export CSV
            </Button>
          }
        />
      </form>
      <DepositTotalsLine initial={totals} filterQuery={exportQuery} />
    </div>
  );
}
