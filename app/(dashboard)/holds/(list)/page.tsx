import type { Metadata } from "next";
import Link from "next/link";
import { HoldQueue } from "@/components/holds/hold-queue";
import { AmountRangeInputs, FilterActions, SelectFilter } from "@/components/ui/filter-form";
import { FilterIssues } from "@/components/ui/filter-issues";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { HOLD_QUEUE_LIMIT, holdQueueFiltersSchema, readHoldQueue } from "@/lib/holds/queue";
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
  const { raw, filters, issues } = pageFilters(holdQueueFiltersSchema, await searchParams);
  const { db } = await getDatabase();
  const items = await readHoldQueue(db, filters);
  const filterQuery = new URLSearchParams(issues.length ? {} : raw).toString();
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h1 className="text-xl font-semibold">Risk queue</h1>
        <p className="text-sm text-slate-500">
          In hold, soonest-ending first (at most {HOLD_QUEUE_LIMIT}) · refreshes every 10 seconds ·{" "}
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
        <FilterActions clearHref="/holds" className="flex items-end gap-2" />
      </form>
      <FilterIssues issues={issues} />
      <HoldQueue
        initial={items}
        filters={filters}
        filterQuery={filterQuery}
        canApprove={roleAllows(operator.role, "operator")}
      />
    </section>
  );
}
