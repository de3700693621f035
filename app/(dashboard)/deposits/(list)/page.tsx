import type { Metadata } from "next";
import { DepositFiltersForm } from "@/components/deposits/deposit-filters";
import { DepositTable } from "@/components/deposits/deposit-table";
import { SeedProgressBanner } from "@/components/sandbox/seed-progress-banner";
import { FilterIssues } from "@/components/ui/filter-issues";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { depositListParamsSchema, depositTotals, listDeposits } from "@/lib/deposits/queries";
import { getConfig } from "@/lib/env";
import { pageFilters } from "@/lib/http/search-params";

const SORT_LABELS = {
  newest: "Newest first",
  oldest: "Oldest first",
  amount_desc: "Largest amount first",
  amount_asc: "Smallest amount first",
} as const;

export const metadata: Metadata = { title: "Deposits" };
export const dynamic = "force-dynamic";

export default async function DepositsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageOperator();
  // A GET form sends each ticked status as its own `status`: joined into the one comma-separated value.
  const { raw, filters: params, issues } = pageFilters(depositListParamsSchema, await searchParams);
  const { db } = await getDatabase();
  const [page, totals] = await Promise.all([listDeposits(db, params), depositTotals(db, params)]);
  const { cursor: _cursor, ...filterQuery } = raw;
  const filters = new URLSearchParams(issues.length ? {} : filterQuery).toString();
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-xl font-semibold">Deposits</h1>
        <p className="text-sm text-slate-500">
          {SORT_LABELS[params.sort ?? "newest"]}
          {params.cursor ? "" : " · refreshes every 5 seconds"}
        </p>
      </div>
      {getConfig().skinsback.mode === "sandbox" && <SeedProgressBanner />}
      <DepositFiltersForm filters={params} totals={totals} exportQuery={filters} />
      <FilterIssues issues={issues} />
      <DepositTable params={params} filterQuery={filters} initialPage={page} />
    </section>
  );
}
