"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, type ReactNode, useId, useRef, useState } from "react";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import { formatMoney } from "@/components/ui/format";
import { MoneyList } from "@/components/ui/money-list";
import { Relative, Time, useNow } from "@/components/ui/time";
import { UnsignedBadge } from "@/components/ui/unsigned-badge";
import type { HeldDeposit, HoldQueueFilters } from "@/lib/holds/queue";
import { addDecimal } from "@/lib/money/decimal";
import type { RiskLevel } from "@/lib/risk/assessment";

const LEVEL_STYLES: Record<RiskLevel, string> = {
  low: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  medium: "bg-amber-50 text-amber-800 ring-amber-300",
  high: "bg-rose-50 text-rose-800 ring-rose-300",
};

export function RiskLevelBadge({ level }: { level: RiskLevel }) {
  return (
    <span
      data-risk-level={level}
      className={`inline-flex rounded-md px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${LEVEL_STYLES[level]}`}
    >
      {level} risk
    </span>
  );
}

type Outcome = { kind: string; message: string };

export function HoldQueue({
  initial,
  filters,
  filterQuery,
  canApprove,
}: {
  initial: HeldDeposit[];
  filters: HoldQueueFilters;
  filterQuery: string;
  canApprove: boolean;
}) {
  const query = useQuery({
    queryKey: queryKeys.holds(filters),
    queryFn: () => callApi<{ items: HeldDeposit[] }>(`/api/holds?${filterQuery}`).then((r) => r.items),
    initialData: initial,
    refetchInterval: 10_000,
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});
  const items = query.data;
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
      ) : (
        <ul className="space-y-3" data-testid="hold-queue">
          {items.map((h) => (
            <HoldCard
              key={h.transactionId}
              held={h}
              canApprove={canApprove}
              selectable={canApprove && h.assessment.level === "low" && !h.approval}
              selected={selected.has(h.transactionId)}
              onSelect={(on) =>
                setSelected((s) => {
                  const next = new Set(s);
                  if (on) next.add(h.transactionId);
                  else next.delete(h.transactionId);
                  return next;
                })
              }
              outcome={outcomes[h.transactionId]}
              onOutcome={(o) => setOutcomes((all) => ({ ...all, [h.transactionId]: o }))}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function usdTotal(items: HeldDeposit[]): string {
  return items.reduce((sum, h) => (h.amountUsd ? addDecimal(sum, h.amountUsd) : sum), "0");
}

function HoldCard({
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
              <span className="text-sm text-slate-500">≈ {formatMoney(h.amountUsd, "usd")}</span>
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
            <Link href={`/deposits?q=${h.steamId ?? ""}`} className="font-mono text-sky-700 underline">
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
function HoldEnd({ until }: { until: string | null }) {
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

/**
 * Asking for an approval: a button that opens a modal dialog with what is at stake (`children`), a required
 * reason, Cancel and Approve. `onApprove` sends it; its error is shown in the dialog, which stays open.
 */
function ApproveDialog({
  trigger,
  triggerClassName,
  title,
  reasonLabel,
  submitLabel,
  onApprove,
  children,
}: {
  trigger: string;
  triggerClassName: string;
  title: ReactNode;
  reasonLabel: string;
  submitLabel: string;
  onApprove: (reason: string) => Promise<void>;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get("reason") ?? "");
    setBusy(true);
    setError(null);
    try {
      await onApprove(reason);
      dialog.current?.close();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} className={triggerClassName}>
        {trigger}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <form onSubmit={submit} className="space-y-3 p-4 text-sm">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          {children}
          <label className="block">
            <span className="text-xs text-slate-600">{reasonLabel}</span>
            <textarea
              name="reason"
              required
              minLength={3}
              maxLength={500}
              rows={2}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1"
            />
          </label>
          {error && (
            <p role="alert" className="text-rose-800">
              {error}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button
              type="button"
              onClick={() => dialog.current?.close()}
              className="rounded-md border border-slate-300 px-3 py-1.5"
            >
              Cancel
            </button>
            <button
              type="submit"
              disabled={busy}
              className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white disabled:opacity-50"
            >
              {busy ? "Approving…" : submitLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

function ApproveButton({ held: h, onOutcome }: { held: HeldDeposit; onOutcome: (o: Outcome) => void }) {
  const client = useQueryClient();
  return (
    <ApproveDialog
      trigger="Approve early…"
      triggerClassName="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
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
        await client.invalidateQueries({ queryKey: ["holds"] });
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

function BulkBar({
  lowRisk,
  chosen,
  onSelectAll,
  onClear,
  onDone,
}: {
  lowRisk: HeldDeposit[];
  chosen: HeldDeposit[];
  onSelectAll: () => void;
  onClear: () => void;
  onDone: (results: { transactionId: string; kind: string; message: string }[]) => void;
}) {
  const client = useQueryClient();
  const [summary, setSummary] = useState<string | null>(null);
  async function approveChosen(reason: string) {
    const { results } = await callApi<{
      results: { transactionId: string; kind: string; message: string }[];
    }>("/api/holds/bulk", {
      method: "POST",
      json: { transactionIds: chosen.map((h) => h.transactionId), reason },
    });
    const count = (kind: string) => results.filter((r) => r.kind === kind).length;
    setSummary(
      `${count("approved")} approved, ${count("already")} already approved, ${count("refused")} refused, ${count("failed")} failed`,
    );
    onDone(results);
    await client.invalidateQueries({ queryKey: ["holds"] });
  }
  return (
    <div
      className="flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm"
      data-testid="bulk-bar"
    >
      <span>
        Bulk approval is for low risk only: {lowRisk.length} low-risk deposit{lowRisk.length === 1 ? "" : "s"}{" "}
        shown.
      </span>
      <button type="button" onClick={onSelectAll} className="rounded-md border border-slate-300 px-2.5 py-1">
        Select all low risk
      </button>
      {chosen.length > 0 && (
        <>
          <button type="button" onClick={onClear} className="rounded-md border border-slate-300 px-2.5 py-1">
            Clear
          </button>
          <ApproveDialog
            trigger={`Approve ${chosen.length} selected…`}
            triggerClassName="rounded-md bg-slate-900 px-3 py-1 font-medium text-white"
            title={`Approve ${chosen.length} low-risk deposit${chosen.length === 1 ? "" : "s"}, ${formatMoney(usdTotal(chosen), "usd")} in total?`}
            reasonLabel="Why approve early (recorded for each)"
            submitLabel={`Approve ${chosen.length}`}
            onApprove={approveChosen}
          >
            <p>Each is sent on its own, once, within SkinsBack's call budget; each result is reported.</p>
          </ApproveDialog>
        </>
      )}
      {summary && (
        <span role="status" data-testid="bulk-result">
          {summary}
        </span>
      )}
    </div>
  );
}
