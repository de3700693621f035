/** UTC, fixed format: identical on server and client (no hydration mismatch), unambiguous for operators. */
export function formatUtc(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

// Money is formatted in lib/money (the server's messages use it too); the components import it from here.
export { formatMoney } from "@/lib/money/format";

/** How long `calls` take at SkinsBack's 500 calls a minute, in words ("about 2 seconds", "about 3 minutes"). */
export function formatBudgetTime(calls: number): string {
  const seconds = Math.max(1, Math.ceil((calls * 60) / 500));
  if (seconds < 90) return `about ${seconds} second${seconds === 1 ? "" : "s"}`;
  return `about ${Math.round(seconds / 60)} minutes`;
}
