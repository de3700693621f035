"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { callApi } from "@/components/api-client";
import { hrefWithQuery } from "@/components/links";
import { queryKeys } from "@/components/query-keys";
import { formatMoney } from "@/components/ui/format";
import { MoneyList } from "@/components/ui/money-list";
import { Relative, Time, useNow } from "@/components/ui/time";
import { UnsignedBadge } from "@/components/ui/unsigned-badge";
import type { HeldDeposit } from "@/lib/holds/queue";
import { ApproveDialog } from "./approve-dialog";
import { RiskLevelBadge } from "./risk-level-badge";

export type Outcome = { kind: string; message: string };

export function HoldCard({
  held: h,
  canApprove,
  selectable,
  selected,
  onSelect,
  outcome,
  onOutcome,
}: {
  held: HeldDeposit;
  canApprove: boolean;
  selectable: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  outcome: Outcome | undefined;
  onOutcome: (o: Outcome) => void;
}) {
  const { assessment: a, history } = h;
  const f = a.facts;
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="hold-card"
      data-transaction-id={h.transactionId}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            {selectable && (
              <input
                type="checkbox"
                aria-label={`Select ${h.transactionId} for bulk approval`}
                checked={selected}
                onChange={(e) => onSelect(e.target.checked)}
              />
            )}
            <RiskLevelBadge level={a.level} />
            <span className="text-lg font-semibold tabular-nums">{formatMoney(h.amount, h.currency)}</span>
            {h.currency !== "usd" && h.amountUsd && (
              <span className="text-sm text-slate-500">
                ≈ {formatMoney(h.amountUsd, "usd")}
                {h.usdRateAt && (
                  <>
                    {" "}
                    at SkinsBack's rate of <Time value={h.usdRateAt} />
                  </>
                )}
              </span>
            )}
          </div>
          <p className="text-sm text-slate-600">
            user amount {formatMoney(h.userAmount, h.currency)} ·{" "}
            <Link
              href={`/deposits/${encodeURIComponent(h.transactionId)}`}
              className="font-mono text-sky-700 underline"
            >
              {h.transactionId}
            </Link>{" "}
            · Steam{" "}
            <Link
              href={hrefWithQuery("/deposits", { q: h.steamId })}
              className="font-mono text-sky-700 underline"
            >
              {h.steamId ?? "—"}
            </Link>
          </p>
        </div>
        <div className="text-right text-sm">
          <HoldEnd until={h.inHoldUntil} />
          {h.inHoldUntil && (
            <p className="text-xs text-slate-500">
              <Time value={h.inHoldUntil} />
            </p>
          )}
        </div>
      </div>

      <div className="mt-3 grid gap-3 text-sm lg:grid-cols-3">
        <div>
          <h3 className="mb-1 text-xs font-semibold text-slate-500">Why {a.level}</h3>
          {a.reasons.length === 0 ? (
            <p className="text-slate-600">No rule fired: a long record without rollbacks.</p>
          ) : (
            <ul className="list-disc space-y-0.5 pl-4" data-testid="risk-reasons">
              {a.reasons.map((r) => (
                <li key={r.rule} className={r.level === "high" ? "text-rose-800" : "text-slate-700"}>
                  {r.text}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3 className="mb-1 flex items-center gap-1 text-xs font-semibold text-slate-500">
            SkinsBack's record of the player <UnsignedBadge />
          </h3>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
            <dt className="text-slate-500">Deposits</dt>
            <dd className="tabular-nums">
              {f.depositsCount ?? "?"} · {f.depositsSum ? formatMoney(f.depositsSum, "usd") : "sum ?"}
            </dd>
            <dt className="text-slate-500">Rollbacks</dt>
            <dd className="tabular-nums">
              {f.rollbacksCount ?? "?"} · {f.rollbacksSum ? formatMoney(f.rollbacksSum, "usd") : "sum ?"}
              {(f.rollbackRateByCount || f.rollbackRateByMoney) &&
                ` (${f.rollbackRateByCount ?? "?"} % by count, ${f.rollbackRateByMoney ?? "?"} % by money)`}
            </dd>
            <dt className="text-slate-500">Account age</dt>
            <dd>{f.accountAgeDays === null ? "?" : `${f.accountAgeDays} days`}</dd>
            <dt className="text-slate-500">Last deposit</dt>
            <dd>{f.daysSinceLastDeposit === null ? "?" : `${f.daysSinceLastDeposit} days ago`}</dd>
            <dt className="text-slate-500">Inventory</dt>
            <dd>
              {f.inventory.length === 0
                ? "?"
                : f.inventory.map((i) => (
                    <span key={i.game} className="block">
                      {i.game}: {i.sumUsd ? formatMoney(i.sumUsd, "usd") : "?"}
                      {i.updatedAt && (
                        <span className="text-slate-500">
                          {" "}
                          (as of <Relative value={i.updatedAt} everyMs={60_000} />)
                        </span>
                      )}
                    </span>
                  ))}
            </dd>
          </dl>
          {(f.missing.length > 0 || f.odd.length > 0) && (
            <p className="mt-1 text-xs text-amber-800">
              {f.missing.length > 0 && `Missing: ${f.missing.join(", ")}. `}
              {f.odd.length > 0 && `Unreadable: ${f.odd.join(", ")}.`}
            </p>
          )}
        </div>
        <div>
          <h3 className="mb-1 text-xs font-semibold text-slate-500">With this shop</h3>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5">
            <dt className="text-slate-500">Deposits</dt>
            <dd className="tabular-nums">{history.deposits} (this one included)</dd>
            <dt className="text-slate-500">Successes</dt>
            <dd className="tabular-nums">{history.successes}</dd>
            <dt className="text-slate-500">Holds returned</dt>
            <dd className={history.holdsReturned > 0 ? "font-medium text-rose-800" : ""}>
              {history.holdsReturned}
            </dd>
            <dt className="text-slate-500">Exposed now</dt>
            <dd>
              <MoneyList money={history.exposed} none="nothing" />
            </dd>
          </dl>
        </div>
      </div>

      <div className="mt-3 flex flex-wrap items-center gap-3">
        {h.approval && (
          <p className="text-sm text-slate-600" data-testid="approval-state">
            {h.approval.state === "failed"
              ? `Last approval failed (${h.approval.message ?? "no answer"}); it may be tried again.`
              : `Approval ${h.approval.state === "sending" ? "being sent" : h.approval.state} by ${h.approval.by}`}
          </p>
        )}
        {canApprove && (!h.approval || h.approval.state === "failed") && (
          <ApproveButton held={h} onOutcome={onOutcome} />
        )}
        {outcome && (
          <p
            role={outcome.kind === "approved" || outcome.kind === "already" ? "status" : "alert"}
            data-testid="approve-result"
            className={`text-sm ${outcome.kind === "approved" ? "text-emerald-800" : outcome.kind === "already" ? "text-slate-700" : "text-rose-800"}`}
          >
            {outcome.message}
          </p>
        )}
      </div>
    </li>
  );
}

/** Time left in the hold; a hold past its end means SkinsBack's final notification has not reached us. */
export function HoldEnd({ until }: { until: string | null }) {
  const now = useNow(30_000);
  if (!until)
    return (
      <p className="font-medium text-amber-800" data-testid="hold-time-left">
        hold end unknown
      </p>
    );
  const ended = now !== null && Date.parse(until) <= now;
  return (
    <p className={`font-medium ${ended ? "text-rose-800" : "text-amber-800"}`} data-testid="hold-time-left">
      {ended ? "hold ended " : "hold ends "}
      <Relative value={until} everyMs={30_000} />
      {ended && (
        <span className="block text-xs font-normal">
          final notification missing: Refresh from SkinsBack on the deposit's page
        </span>
      )}
    </p>
  );
}

export function ApproveButton({
  held: h,
  onOutcome,
}: {
  held: HeldDeposit;
  onOutcome: (o: Outcome) => void;
}) {
  const client = useQueryClient();
  return (
    <ApproveDialog
      trigger="Approve early…"
      triggerSize="sm"
      title={`Approve ${formatMoney(h.amount, h.currency)} now?`}
      reasonLabel="Why approve early (recorded in the audit log)"
      submitLabel="Approve"
      onApprove={async (reason) => {
        onOutcome(
          await callApi<Outcome>("/api/holds/approve", {
            method: "POST",
            json: { transactionId: h.transactionId, reason },
          }),
        );
        await client.invalidateQueries({ queryKey: queryKeys.allHolds });
      }}
    >
      <p>
        The player is credited now; if they reverse the trade before{" "}
        {h.inHoldUntil ? <Time value={h.inHoldUntil} /> : "the hold ends"}, the money is lost (hold returned).
      </p>
      <div className="flex items-center gap-2">
        <RiskLevelBadge level={h.assessment.level} />
        <span className="text-slate-600">
          {h.assessment.reasons.length === 0
            ? "no rule fired"
            : h.assessment.reasons.map((r) => r.text).join("; ")}
        </span>
      </div>
    </ApproveDialog>
  );
}
