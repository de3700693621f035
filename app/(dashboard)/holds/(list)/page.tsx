import type { Metadata } from "next";
import Link from "next/link";
import { HoldQueue } from "@/components/holds/hold-queue";
import { hrefWithQuery } from "@/components/links";
import { AmountRangeInputs, FilterActions, SelectFilter } from "@/components/ui/filter-form";
import { FilterIssues } from "@/components/ui/filter-issues";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { HOLD_QUEUE_PAGE, holdQueueFiltersSchema, readHoldQueue } from "@/lib/holds/queue";
import { pageFilters } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Risk queue" };
export const dynamic = "force-dynamic";

/** Held CS2 deposits, soonest-ending first, each with its risk in plain words and an approve-early button. */
export default async function HoldsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requirePageOperator();
  const params = await searchParams;
  // The compact table is the default on a busy day; the cards (every reason at once) are one click away.
  const view = params.view === "cards" ? "cards" : "table";
  const { raw, filters, issues } = pageFilters(holdQueueFiltersSchema, { ...params, view: undefined });
  const { db } = await getDatabase();
  const page = await readHoldQueue(db, filters);
  const filterQuery = new URLSearchParams(issues.length ? {} : raw).toString();
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h1 className="text-xl font-semibold">Risk queue</h1>
        <p className="text-sm text-slate-500">
          In hold, soonest-ending first, {HOLD_QUEUE_PAGE} a page · refreshes every 10 seconds ·{" "}
          <Link href="/holds/exposure" className="text-sky-700 underline">
            exposure board
          </Link>
        </p>
      </div>
      <form
        method="get"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm"
      >
        <SelectFilter
          label="Risk"
          name="level"
          defaultValue={filters.level ?? ""}
          any="any"
          options={["low", "medium", "high"] as const}
        />
        <AmountRangeInputs min={filters.min} max={filters.max} />
        {view === "cards" && <input type="hidden" name="view" value="cards" />}
        <FilterActions clearHref="/holds" className="flex items-end gap-2" />
      </form>
      <FilterIssues issues={issues} />
      <p className="text-sm">
        View:{" "}
        {(["table", "cards"] as const).map((v) => (
          <Link
            key={v}
            href={hrefWithQuery("/holds", {
              ...filters,
              after: undefined,
              view: v === "table" ? undefined : v,
            })}
            aria-current={view === v ? "page" : undefined}
            className={`mr-2 ${view === v ? "font-semibold" : "text-sky-700 underline"}`}
          >
            {v === "table" ? "Table" : "Cards"}
          </Link>
        ))}
      </p>
      <HoldQueue
        view={view}
        pageSize={HOLD_QUEUE_PAGE}
        initial={page}
        filters={filters}
        filterQuery={filterQuery}
        canApprove={roleAllows(operator.role, "operator")}
      />
    </section>
  );
}
