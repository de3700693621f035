"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import { depositHref, hrefWithQuery } from "@/components/links";
import { formatMoney } from "@/components/ui/format";
import type { HeldDeposit } from "@/lib/holds/queue";
import { HoldCard, HoldEnd, type Outcome } from "./hold-card";
import { RiskLevelBadge } from "./risk-level-badge";

/**
 * The queue as one compact row per held deposit — risk level, amount, player, time left, approval — for a busy
 * day; a row's full card (reasons, SkinsBack's record, approve early) opens under it in one click.
 */
export function HoldTable({
  items,
  canApprove,
  selected,
  onSelect,
  outcomes,
  onOutcome,
}: {
  items: HeldDeposit[];
  canApprove: boolean;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
  outcomes: Record<string, Outcome>;
  onOutcome: (id: string, o: Outcome) => void;
}) {
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="hold-table">
        <thead className="bg-slate-50 text-left text-xs text-slate-500">
          <tr>
            {canApprove && (
              <th className="w-8 px-3 py-2">
                <span className="sr-only">Select</span>
              </th>
            )}
            <th className="px-3 py-2">Risk</th>
            <th className="px-3 py-2 text-right">Amount</th>
            <th className="px-3 py-2">Player</th>
            <th className="px-3 py-2">Hold</th>
            <th className="px-3 py-2">Approval</th>
            <th className="px-3 py-2">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((h) => {
            const selectable = canApprove && h.assessment.level === "low" && !h.approval;
            const isOpen = open.has(h.transactionId);
            const href = depositHref(h.transactionId);
            return (
              <Fragment key={h.transactionId}>
                <tr
                  className="border-t border-slate-100"
                  data-testid="hold-row"
                  data-transaction-id={h.transactionId}
                >
                  {canApprove && (
                    <td className="px-3 py-2">
                      {selectable && (
                        <input
                          type="checkbox"
                          aria-label={`Select ${h.transactionId} for bulk approval`}
                          checked={selected.has(h.transactionId)}
                          onChange={(e) => onSelect(h.transactionId, e.target.checked)}
                        />
                      )}
                    </td>
                  )}
                  <td className="px-3 py-2">
                    <RiskLevelBadge level={h.assessment.level} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                    {href ? (
                      <Link href={href} className="text-sky-700 underline">
                        {formatMoney(h.amount, h.currency)}
                      </Link>
                    ) : (
                      formatMoney(h.amount, h.currency)
                    )}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">
                    {h.steamId ? (
                      <Link
                        href={hrefWithQuery("/deposits", { q: h.steamId })}
                        className="text-sky-700 underline"
                      >
                        {h.steamId}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <HoldEnd until={h.inHoldUntil} />
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    {outcomes[h.transactionId]?.message ??
                      (h.approval ? `${h.approval.state} by ${h.approval.by}` : "—")}
                  </td>
                  <td className="px-3 py-2 text-right">
                    <button
                      type="button"
                      className="text-sky-700 underline"
                      aria-expanded={isOpen}
                      onClick={() => toggle(h.transactionId)}
                    >
                      {isOpen ? "Hide" : "Details"}
                    </button>
                  </td>
                </tr>
                {isOpen && (
                  <tr>
                    <td colSpan={canApprove ? 7 : 6} className="bg-slate-50 p-2">
                      <ul>
                        <HoldCard
                          held={h}
                          canApprove={canApprove}
                          selectable={false}
                          selected={false}
                          onSelect={() => {}}
                          outcome={outcomes[h.transactionId]}
                          onOutcome={(o) => onOutcome(h.transactionId, o)}
                        />
                      </ul>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
