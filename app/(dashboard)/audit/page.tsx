import type { Metadata } from "next";
import { DepositLink } from "@/components/deposits/deposit-link";
import { DateRangeInputs, FILTER_INPUT, FilterActions, SelectFilter } from "@/components/ui/filter-form";
import { FilterIssues } from "@/components/ui/filter-issues";
import { columns, LogTable } from "@/components/ui/log-table";
import { OlderLink } from "@/components/ui/older-link";
import { Time } from "@/components/ui/time";
import { AUDIT_ACTIONS, auditFiltersSchema, listAuditEvents } from "@/lib/audit/audit-log";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { pageFilters } from "@/lib/http/search-params";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const OUTCOME_STYLE: Record<string, string> = {
  ok: "bg-emerald-100 text-emerald-800",
  refused: "bg-amber-100 text-amber-800",
  failed: "bg-rose-100 text-rose-800",
};

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageOperator();
  const { raw, filters, issues } = pageFilters(auditFiltersSchema, await searchParams);
  const { db } = await getDatabase();
  const { events, nextBefore } = await listAuditEvents(db, filters);
  return (
    <section className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Audit log</h1>
        <p className="mt-1 text-sm text-slate-500">
          Every act, newest first. The database refuses to change or delete it.
        </p>
      </div>
      <form
        method="get"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-6"
      >
        <SelectFilter
          label="Action"
          name="action"
          defaultValue={raw.action ?? ""}
          any="any"
          options={AUDIT_ACTIONS}
        />
        <label>
          <span className="text-xs text-slate-500">Who (email)</span>
          <input name="actor" defaultValue={raw.actor ?? ""} className={FILTER_INPUT} />
        </label>
        <SelectFilter
          label="Outcome"
          name="outcome"
          defaultValue={raw.outcome ?? ""}
          any="any"
          options={["ok", "refused", "failed"]}
        />
        <label>
          <span className="text-xs text-slate-500">Deposit (transaction id)</span>
          <input name="transactionId" defaultValue={raw.transactionId ?? ""} className={FILTER_INPUT} />
        </label>
        <DateRangeInputs from={raw.from} to={raw.to} />
        <FilterActions clearHref="/audit" className="flex gap-2 sm:col-span-6" />
      </form>
      <FilterIssues issues={issues} />
      <LogTable
        testId="audit-rows"
        columns={columns("When", "Who", "What", "Outcome", "Target", "From", "Detail")}
        empty={events.length === 0 && "Nothing recorded matches these filters."}
      >
        {events.map((e) => (
          <tr key={e.id} data-action={e.action}>
            <td className="px-3 py-2 whitespace-nowrap text-slate-500">
              <Time value={e.at} />
            </td>
            <td className="px-3 py-2">{e.actorEmail ?? e.actorKind}</td>
            <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
            <td className="px-3 py-2">
              <span className={`rounded-full px-2 py-0.5 text-xs ${OUTCOME_STYLE[e.outcome] ?? ""}`}>
                {e.outcome}
              </span>
            </td>
            <td className="px-3 py-2">
              {e.transactionId ? (
                <DepositLink transactionId={e.transactionId} className="text-sky-700 hover:underline">
                  deposit {e.transactionId}
                </DepositLink>
              ) : e.targetType ? (
                // Operators are named by their email (in the detail), not their id.
                `${e.targetType} ${typeof e.detail.email === "string" ? e.detail.email : (e.targetId ?? "")}`
              ) : (
                "—"
              )}
            </td>
            <td className="px-3 py-2 font-mono text-xs">{e.address ?? "—"}</td>
            <td
              className="max-w-xs truncate px-3 py-2 font-mono text-xs text-slate-500"
              title={JSON.stringify(e.detail)}
            >
              {Object.keys(e.detail).length ? JSON.stringify(e.detail) : ""}
            </td>
          </tr>
        ))}
      </LogTable>
      <OlderLink path="/audit" params={raw} nextBefore={nextBefore} />
    </section>
  );
}
