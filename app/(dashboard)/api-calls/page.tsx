import type { Metadata } from "next";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { FILTER_INPUT, FilterActions, SelectFilter } from "@/components/ui/filter-form";
import { FilterIssues } from "@/components/ui/filter-issues";
import { columns, LogTable } from "@/components/ui/log-table";
import { OlderLink } from "@/components/ui/older-link";
import { Time } from "@/components/ui/time";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { budgetUse, callFiltersSchema, listApiCalls } from "@/lib/gateway/call-log";
import { pageFilters } from "@/lib/http/search-params";
import { METHODS } from "@/lib/skinsback/methods";

export const metadata: Metadata = { title: "API calls" };
export const dynamic = "force-dynamic";

/** Every SkinsBack call the console made (client, proxy, jobs), and how much of the shared budget is in use. */
export default async function ApiCallsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageOperator();
  const { raw, filters, issues } = pageFilters(callFiltersSchema, await searchParams);
  const { db } = await getDatabase();
  const [{ calls, nextBefore }, budget] = await Promise.all([
    listApiCalls(db, filters),
    budgetUse(db, getConfig().skinsback.clientId),
  ]);
  const percent = Math.min(100, Math.round((budget.used / budget.limit) * 100));
  return (
    <section className="space-y-4">
      <h1 className="text-xl font-semibold">API calls</h1>
      {!filters.before && <AutoRefresh seconds={5} />}
      <div
        className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm"
        data-testid="budget-gauge"
      >
        <p>
          <span className="font-medium">
            {budget.used} of {budget.limit}
          </span>{" "}
          calls of SkinsBack&apos;s budget used in the last {budget.windowSeconds} s, shared by every instance
          {budget.blockedUntil && (
            <span className="ml-2 rounded bg-rose-100 px-1.5 text-rose-800">
              blocked by SkinsBack (-7) until <Time value={budget.blockedUntil} />
            </span>
          )}
        </p>
        <meter
          className="mt-2 h-3 w-full"
          min={0}
          max={budget.limit}
          low={budget.limit * 0.6}
          high={budget.limit * 0.9}
          optimum={0}
          value={budget.used}
          aria-label="Rate budget in use"
        >
          {percent} %
        </meter>
      </div>
      <form
        method="get"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-3"
      >
        <SelectFilter
          label="Method"
          name="method"
          defaultValue={raw.method ?? ""}
          any="any"
          options={Object.keys(METHODS)}
        />
        <label>
          <span className="text-xs text-slate-500">Outcome</span>
          <input
            name="outcome"
            defaultValue={raw.outcome ?? ""}
            placeholder="ok, api_error…"
            className={FILTER_INPUT}
          />
        </label>
        <FilterActions clearHref="/api-calls" />
      </form>
      <FilterIssues issues={issues} />
      <LogTable
        testId="call-rows"
        columns={columns("When", "Method", "Outcome", "Caller", "Parameters", "Took>")}
        empty={calls.length === 0 && "No call matches these filters."}
      >
        {calls.map((c) => (
          <tr key={c.id} data-method={c.method} data-outcome={c.outcome}>
            <td className="px-3 py-2 whitespace-nowrap text-slate-500">
              <Time value={c.calledAt} />
            </td>
            <td className="px-3 py-2 font-mono text-xs">{c.method}</td>
            <td className="px-3 py-2 text-xs">
              {c.outcome}
              {c.errorCode !== null && ` (${c.errorCode}${c.errorMessage ? `: ${c.errorMessage}` : ""})`}
              {c.attempts > 1 && <span className="text-slate-500"> · {c.attempts} attempts</span>}
            </td>
            <td className="px-3 py-2 text-xs">{c.caller}</td>
            <td
              className="max-w-xs truncate px-3 py-2 font-mono text-xs text-slate-500"
              title={JSON.stringify(c.params)}
            >
              {JSON.stringify(c.params)}
            </td>
            <td className="px-3 py-2 text-right text-xs whitespace-nowrap">{c.durationMs} ms</td>
          </tr>
        ))}
      </LogTable>
      <OlderLink path="/api-calls" params={raw} nextBefore={nextBefore} />
    </section>
  );
}
