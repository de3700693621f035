/**
 * Times and durations in the console's own words, the same on the server (alert texts, answers) and in the
 * browser: UTC in one fixed form, durations rounded to what a person reads.
 */

/** UTC, fixed format: identical on server and client (no hydration mismatch), unambiguous for operators. */
export function formatUtc(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** A duration in words: "less than a minute", "1 minute", "45 minutes", "3 hours", "2 days". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return "less than a minute";
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}
