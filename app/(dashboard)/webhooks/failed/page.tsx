import type { Metadata } from "next";
import { FailedScreen } from "@/components/failed/failed-screen";
import { FilterIssues } from "@/components/ui/filter-issues";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { FAILED_SYNC_JOB } from "@/lib/failed-notifications/failed-loops";
import { failedFiltersSchema } from "@/lib/failed-notifications/list";
import { readFailedScreen } from "@/lib/failed-notifications/screen";
import { pageFilters } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Failed notifications" };
export const dynamic = "force-dynamic";

export default async function FailedNotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requirePageOperator();
  const { filters, issues } = pageFilters(failedFiltersSchema, await searchParams);
  const { db } = await getDatabase();
  const initial = await readFailedScreen(db, filters, FAILED_SYNC_JOB);
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Failed notifications</h1>
        <p className="mt-1 text-sm text-slate-500">
          Notifications SkinsBack could not deliver, and those this console refused or could not store. A
          replay reads the truth from SkinsBack (or re-checks the stored body) and applies it like a webhook.
        </p>
      </div>
      <FilterIssues issues={issues} />
      <FailedScreen
        filters={filters}
        initial={initial}
        canAct={roleAllows(operator.role, "operator")}
        isAdmin={roleAllows(operator.role, "admin")}
      />
    </section>
  );
}
