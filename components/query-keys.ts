/**
 * TanStack Query keys, shared by the components that read the same data (and by whoever invalidates it), so two
 * views of one thing never keep two caches of it.
 */
export const queryKeys = {
  deposits: (params: unknown) => ["deposits", params] as const,
  overview: (days: number) => ["overview", days] as const,
  skinsbackHealth: ["overview", "skinsback"] as const,
  silence: ["silence"] as const,
  holds: (filters: unknown) => ["holds", filters] as const,
  exposure: ["holds", "exposure"] as const,
};
