/** UTC, fixed format: identical on server and client (no hydration mismatch), unambiguous for operators. */
export function formatUtc(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Exact decimal text with its currency; money is never turned into a float for display. */
export function formatMoney(amount: string | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined) return "—";
  return currency ? `${amount} ${currency.toUpperCase()}` : amount;
}
