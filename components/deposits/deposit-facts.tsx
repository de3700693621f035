import type { ReactNode } from "react";
import { formatMoney } from "@/components/ui/format";
import { Relative, Time } from "@/components/ui/time";
import { UnsignedBadge } from "@/components/ui/unsigned-badge";
import type { DepositDetail } from "@/lib/deposits/timeline";
import { StatusBadge } from "./status-badge";

/** SkinsBack's fail reasons in words (the code stays visible for searching). */
const FAIL_REASONS: Record<string, string> = {
  timeout: "the player did not finish in time",
  trade_timeout: "the trade offer expired unanswered",
  trade_canceled: "the trade offer was cancelled",
  trade_declined: "the player declined the trade offer",
  trade_reversed: "the player reversed the trade",
};

function failReasonInWords(code: string): string {
  const words = FAIL_REASONS[code];
  return words ? `${words} (${code})` : code;
}

function Fact({ label, unsigned, children }: { label: string; unsigned?: boolean; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">
        {label} {unsigned && <UnsignedBadge />}
      </dt>
      <dd className="break-all font-mono text-xs leading-5 text-slate-900">{children ?? "—"}</dd>
    </>
  );
}

function Amounts({ values }: { values: Record<string, string> | null }) {
  if (!values || Object.keys(values).length === 0) return <>—</>;
  return (
    <span className="flex flex-wrap gap-x-3">
      {Object.entries(values).map(([currency, amount]) => (
        <span key={currency}>{formatMoney(amount, currency)}</span>
      ))}
    </span>
  );
}

export function DepositFacts({ deposit: d }: { deposit: DepositDetail }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="mb-3 text-sm font-semibold">Deposit</h2>
      <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-1.5 text-sm">
        <Fact label="Transaction ID">{d.transactionId}</Fact>
        <Fact label="Order ID">{d.orderId}</Fact>
        <Fact label="Steam ID">{d.steamId}</Fact>
        <Fact label="Status">
          <StatusBadge status={d.status} />
        </Fact>
        <Fact label="Amount">{formatMoney(d.amount, d.amountCurrency)}</Fact>
        <Fact label="In currencies" unsigned>
          <Amounts values={d.amountInCurrencies} />
        </Fact>
        <Fact label="User amount">{formatMoney(d.userAmount, d.amountCurrency)}</Fact>
        <Fact label="User amount in currencies" unsigned>
          <Amounts values={d.userAmountInCurrencies} />
        </Fact>
        <Fact label="Custom currency">
          {d.customCurrency
            ? `${d.customCurrencySum ?? "—"} ${d.customCurrency} (rate ${d.customCurrencyRate ?? "—"})`
            : null}
        </Fact>
        <Fact label="Fail reason">{d.failReason ? failReasonInWords(d.failReason) : null}</Fact>
        <Fact label="Created">
          <Time value={d.createdAt} />
        </Fact>
        <Fact label="Trade offer">{d.tradeOfferId}</Fact>
        <Fact label="Offer created">{d.offerCreatedAt ? <Time value={d.offerCreatedAt} /> : null}</Fact>
        <Fact label="Skins sent">{d.skinsSentAt ? <Time value={d.skinsSentAt} /> : null}</Fact>
        <Fact label="Hold ends">
          {d.inHoldUntil ? (
            <span data-testid="hold-ends">
              <Time value={d.inHoldUntil} />
              {(d.status === "in_hold" || d.status === "hold_approved") && (
                <span className="ml-2 font-sans font-medium text-amber-800">
                  <Relative value={d.inHoldUntil} everyMs={1_000} />
                </span>
              )}
            </span>
          ) : null}
        </Fact>
        <Fact label="First seen">
          <Time value={d.firstSeenAt} />
        </Fact>
        <Fact label="Status changed">
          <Time value={d.statusChangedAt} />
        </Fact>
      </dl>
    </section>
  );
}
