/** UTC, fixed format: identical on server and client (no hydration mismatch), unambiguous for operators. */
export function formatUtc(value: string | Date | null | undefined): string {
  if (!value) return "—";
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

// Money is formatted in lib/money (the server's messages use it too); the components import it from here.
export { formatMoney } from "@/lib/money/format";
