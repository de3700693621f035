import type { Metadata } from "next";
import Link from "next/link";
import { type IncidentsPage, IncidentsScreen } from "@/components/alerts/incidents-screen";
import { FilterIssues } from "@/components/ui/filter-issues";
import { incidentFiltersSchema, incidentHistory, listIncidents } from "@/lib/alerts/incident-list";
import { ALERT_RULES } from "@/lib/alerts/rule-schemas";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { pageFilters } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Alerts" };
export const dynamic = "force-dynamic";

/** The incidents the alert rules opened: what the team was told, when, and who is on it. */
export default async function AlertsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const operator = await requirePageOperator();
  const { filters, issues } = pageFilters(incidentFiltersSchema, await searchParams);
  const { db } = await getDatabase();
  const { incidents, nextCursor } = await listIncidents(db, filters);
  const history = await incidentHistory(
    db,
    incidents.map((i) => i.id),
  );
  const initial = JSON.parse(
    JSON.stringify({
      incidents: incidents.map((i) => ({ ...i, history: history.get(i.id) ?? [] })),
      nextCursor,
    }),
  ) as IncidentsPage;
  const labels = Object.fromEntries(Object.entries(ALERT_RULES).map(([name, rule]) => [name, rule.label]));
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Alerts</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-500">
          One incident per problem: the team is told when it starts, reminded while nobody has acknowledged
          it, and told when it is over.{" "}
          {roleAllows(operator.role, "admin") ? (
            <Link href="/settings/alerts" className="underline">
              Channels and rules
            </Link>
          ) : (
            "Admins set the channels and rules."
          )}
        </p>
      </div>
      <FilterIssues issues={issues} />
      <IncidentsScreen
        state={filters.state}
        before={filters.before}
        initial={initial}
        canAct={roleAllows(operator.role, "operator")}
        labels={labels}
      />
    </section>
  );
}
