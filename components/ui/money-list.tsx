import type { ReactNode } from "react";
import { formatMoney } from "./format";

/** Sums in several currencies, one per line (amounts in different currencies do not add up). */
export function MoneyList({
  money,
  none = <span className="text-slate-500">—</span>,
}: {
  money: { currency: string; amount: string }[];
  /** What an empty list shows. */
  none?: ReactNode;
}) {
  if (money.length === 0) return <>{none}</>;
  return (
    <span className="flex flex-col">
      {money.map((m) => (
        <span key={m.currency} className="tabular-nums whitespace-nowrap">
          {formatMoney(m.amount, m.currency)}
        </span>
      ))}
    </span>
  );
}
