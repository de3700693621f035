/**
 * TanStack Query keys, shared by the components that read the same data (and by whoever invalidates it), so two
 * views of one thing never keep two caches of it.
 */
export const queryKeys = {
  deposits: (params: unknown) => ["deposits", params] as const,
  depositTotals: (filterQuery: string) => ["deposit-totals", filterQuery] as const,
  overview: (days: number) => ["overview", days] as const,
  skinsbackHealth: ["overview", "skinsback"] as const,
  silence: ["silence"] as const,
  /** Every hold query (the queue under any filter, the exposure board): what an approval invalidates. */
  allHolds: ["holds"] as const,
  holds: (filters: unknown) => ["holds", filters] as const,
  exposure: ["holds", "exposure"] as const,
  /** Every failed-notification query: what a replay or a sync invalidates. */
  allFailed: ["failed"] as const,
  failed: (query: string) => ["failed", query] as const,
  operators: ["operators"] as const,
  forwardEndpoints: ["forward-endpoints"] as const,
  apiKeys: ["api-keys"] as const,
  sandboxSwitches: ["sandbox-switches"] as const,
  reconciliation: (query: string) => ["reconciliation", query] as const,
  allReconciliation: ["reconciliation"] as const,
  alerts: (state: string) => ["alerts", state] as const,
  allAlerts: ["alerts"] as const,
  alertSettings: ["alert-settings"] as const,
  sandboxSeedProgress: ["sandbox-seed-progress"] as const,
};
