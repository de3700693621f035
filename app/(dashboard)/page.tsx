import type { Metadata } from "next";
import { OverviewScreen } from "@/components/overview/overview-screen";
import { SeedProgressBanner } from "@/components/sandbox/seed-progress-banner";
import { FilterIssues } from "@/components/ui/filter-issues";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { pageFilters } from "@/lib/http/search-params";
import { overviewParamsSchema, readOverview } from "@/lib/overview/overview";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

/** Is money flowing? The period's figures are rendered here and then polled (SkinsBack's status loads after). */
export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requirePageOperator();
  const { filters: params, issues } = pageFilters(overviewParamsSchema, await searchParams);
  const { db } = await getDatabase();
  const overview = await readOverview(db, params);
  return (
    <div className="space-y-4">
      {getConfig().skinsback.mode === "sandbox" && <SeedProgressBanner />}
      <FilterIssues issues={issues} />
      <OverviewScreen key={overview.days} initial={overview} isAdmin={roleAllows(operator.role, "admin")} />
    </div>
  );
}
