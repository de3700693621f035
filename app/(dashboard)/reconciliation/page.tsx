import type { Metadata } from "next";
import { ReconciliationScreen } from "@/components/reconciliation/reconciliation-screen";
import { FilterIssues } from "@/components/ui/filter-issues";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { pageFilters } from "@/lib/http/search-params";
import { DIFFERENCE_LABELS, differenceFiltersSchema } from "@/lib/reconciliation/differences";
import { readReconciliation } from "@/lib/reconciliation/overview";

export const metadata: Metadata = { title: "Reconciliation" };
export const dynamic = "force-dynamic";

/** Every run of the comparison with SkinsBack's orders, and the differences it found. */
export default async function ReconciliationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requirePageOperator();
  const { filters, issues } = pageFilters(differenceFiltersSchema, await searchParams);
  const { db } = await getDatabase();
  const initial = await readReconciliation(db, filters);
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Reconciliation</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-500">
          Every hour the console reads SkinsBack's own list of deposits for the last 48 hours (and daily for
          the last 9 days) and compares it with its own. What it is behind on is applied like a notification
          and forwarded; a contradiction, a different amount or a deposit SkinsBack does not know is never
          overwritten: it waits here for a decision.
        </p>
      </div>
      <FilterIssues issues={issues} />
      <ReconciliationScreen
        filters={filters}
        initial={initial}
        labels={DIFFERENCE_LABELS}
        canAct={roleAllows(operator.role, "operator")}
      />
    </section>
  );
}
