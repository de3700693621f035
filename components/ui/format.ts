// Times are formatted in lib/time (alert texts and answers use the same words).

// Money is formatted in lib/money (the server's messages use it too); the components import it from here.
export { formatMoney } from "@/lib/money/format";
export { formatDuration, formatUtc } from "@/lib/time/format";

/** How long `calls` take at SkinsBack's 500 calls a minute, in words ("about 2 seconds", "about 3 minutes"). */
export function formatBudgetTime(calls: number): string {
  const seconds = Math.max(1, Math.ceil((calls * 60) / 500));
  if (seconds < 90) return `about ${seconds} second${seconds === 1 ? "" : "s"}`;
  return `about ${Math.round(seconds / 60)} minutes`;
}
