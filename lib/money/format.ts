/**
 * Exact decimal text made readable — thousands separated, at least two decimals ("12.5" → "12.50",
 * "1625.6" → "1,625.60") — with its currency. Done on the text: money never becomes a float for display.
 * Text that is not a plain decimal is shown as it came.
 */
export function formatMoney(amount: string | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount);
  let text = amount;
  if (match) {
    const [, sign = "", whole = "0", fraction = ""] = match;
    const grouped = whole.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    text = `${sign}${grouped}.${fraction.padEnd(2, "0")}`;
  }
  return currency ? `${text} ${currency.toUpperCase()}` : text;
}
