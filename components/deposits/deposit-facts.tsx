import type { ReactNode } from "react";
import { formatMoney, formatUtc } from "@/components/ui/format";
import type { DepositDetail } from "@/lib/deposits/queries";
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

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
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
        <Fact label="In currencies (unsigned)">
          <Amounts values={d.amountInCurrencies} />
        </Fact>
        <Fact label="User amount">{formatMoney(d.userAmount, d.amountCurrency)}</Fact>
        <Fact label="User amount in currencies (unsigned)">
          <Amounts values={d.userAmountInCurrencies} />
        </Fact>
        <Fact label="Custom currency">
          {d.customCurrency
            ? `${d.customCurrencySum ?? "—"} ${d.customCurrency} (rate ${d.customCurrencyRate ?? "—"})`
            : null}
        </Fact>
        <Fact label="Fail reason">{d.failReason ? failReasonInWords(d.failReason) : null}</Fact>
        <Fact label="Created">{formatUtc(d.createdAt)}</Fact>
        <Fact label="Trade offer">{d.tradeOfferId}</Fact>
        <Fact label="Offer created">{d.offerCreatedAt ? formatUtc(d.offerCreatedAt) : null}</Fact>
        <Fact label="Skins sent">{d.skinsSentAt ? formatUtc(d.skinsSentAt) : null}</Fact>
        <Fact label="In hold until">{d.inHoldUntil ? formatUtc(d.inHoldUntil) : null}</Fact>
        <Fact label="First seen">{formatUtc(d.firstSeenAt)}</Fact>
        <Fact label="Status changed">{formatUtc(d.statusChangedAt)}</Fact>
      </dl>
    </section>
  );
}
