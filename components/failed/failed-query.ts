import type { FailedFilters } from "@/lib/failed-notifications/list";

/** The failed screen's filters as a query string (its page size left out): its URL, its API call, its query key. */
export function failedQuery(filters: FailedFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters))
    if (v !== undefined && k !== "limit") params.set(k, String(v));
  return params.toString();
}
