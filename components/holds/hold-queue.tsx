"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { hrefWithQuery } from "@/components/links";
import { queryKeys } from "@/components/query-keys";
import { useNarrowScreen } from "@/components/ui/use-narrow-screen";
import type { HeldDeposit, HoldQueueFilters } from "@/lib/holds/queue";
import { BulkBar } from "./bulk-bar";
import { HoldCard, type Outcome } from "./hold-card";
import { HoldTable } from "./hold-table";

export type HoldQueuePage = { items: HeldDeposit[]; nextCursor: string | null };

export function HoldQueue({
  initial,
  filters,
  filterQuery,
  canApprove,
  view,
  pageSize,
}: {
  initial: HoldQueuePage;
  filters: HoldQueueFilters;
  filterQuery: string;
  canApprove: boolean;
  view: "table" | "cards";
  /** Rows a page holds (the server's HOLD_QUEUE_PAGE; passed in so no server module reaches the bundle). */
  pageSize: number;
}) {
  const query = useQuery({
    queryKey: queryKeys.holds(filters),
    queryFn: () => callApi<HoldQueuePage>(`/api/holds?${filterQuery}`),
    initialData: initial,
    refetchInterval: 10_000,
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // On a phone the table would hide the hold's end and the Steam id off to the right: the cards show them.
  const narrow = useNarrowScreen();
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const items = query.data.items;
  const select = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const lowRisk = items.filter((h) => h.assessment.level === "low" && !h.approval);
  const chosen = items.filter((h) => selected.has(h.transactionId));

  return (
    <div className="space-y-3">
      {query.isError && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          The queue could not be refreshed ({query.error.message}). Showing the last loaded data.
        </p>
      )}
      {canApprove && lowRisk.length > 0 && (
        <BulkBar
          lowRisk={lowRisk}
          chosen={chosen}
          onSelectAll={() => setSelected(new Set(lowRisk.map((h) => h.transactionId)))}
          onClear={() => setSelected(new Set())}
          onDone={(results) => {
            setOutcomes((o) => ({ ...o, ...Object.fromEntries(results.map((r) => [r.transactionId, r])) }));
            setSelected(new Set());
          }}
        />
      )}
      {Object.keys(outcomes).length > 0 && (
        // Kept here too: an approved deposit leaves the queue once SkinsBack's hold_approved arrives.
        <section
          role="status"
          className="rounded-lg border border-slate-200 bg-white p-3 text-sm"
          data-testid="approve-results"
        >
          <h2 className="mb-1 text-xs font-semibold text-slate-500">Your approvals on this page</h2>
          <ul className="space-y-0.5">
            {Object.entries(outcomes).map(([id, o]) => (
              <li key={id} data-transaction-id={id} data-kind={o.kind}>
                <Link
                  href={`/deposits/${encodeURIComponent(id)}`}
                  className="font-mono text-sky-700 underline"
                >
                  {id}
                </Link>
                :{" "}
                <span
                  className={
                    o.kind === "approved"
                      ? "text-emerald-800"
                      : o.kind === "already"
                        ? "text-slate-700"
                        : "text-rose-800"
                  }
                >
                  {o.message}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
          No deposit in hold{filterQuery ? " matches these filters" : ""}. CS2 deposits wait here for up to 8
          days (Steam trade protection) until they succeed, fail or are approved early.
        </p>
      ) : view === "table" && !narrow ? (
        <HoldTable
          items={items}
          canApprove={canApprove}
          selected={selected}
          onSelect={select}
          outcomes={outcomes}
          onOutcome={(id, o) => setOutcomes((all) => ({ ...all, [id]: o }))}
        />
      ) : (
        <ul className="space-y-3" data-testid="hold-queue">
          {items.map((h) => (
            <HoldCard
              key={h.transactionId}
              held={h}
              canApprove={canApprove}
              selectable={canApprove && h.assessment.level === "low" && !h.approval}
              selected={selected.has(h.transactionId)}
              onSelect={(on) => select(h.transactionId, on)}
              outcome={outcomes[h.transactionId]}
              onOutcome={(o) => setOutcomes((all) => ({ ...all, [h.transactionId]: o }))}
            />
          ))}
        </ul>
      )}
      <nav className="flex justify-between text-sm" aria-label="Pages of the queue">
        {filters.after ? (
          <Link
            href={hrefWithQuery("/holds", { ...filters, after: undefined, view })}
            className="text-sky-700 underline"
          >
            ← Soonest-ending first
          </Link>
        ) : (
          <span />
        )}
        {query.data.nextCursor && (
          <Link
            href={hrefWithQuery("/holds", { ...filters, after: query.data.nextCursor, view })}
            className="text-sky-700 underline"
          >
            Next {pageSize} →
          </Link>
        )}
      </nav>
    </div>
  );
}
