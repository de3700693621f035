/** "1250.5" → "1,250.50 USD": caps and exposure in the messages an operator reads. */
export function formatUsdCap(amount: string): string {
  const [whole = "0", fraction = ""] = amount.split(".");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction.padEnd(2, "0").slice(0, 2)} USD`;
}
