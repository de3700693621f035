"use client";

import { useQuery } from "@tanstack/react-query";
import { queryKeys } from "@/components/query-keys";
import type { SeedProgress } from "@/lib/sandbox/seed";

const count = (n: number) => n.toLocaleString("en-US");

/**
 * Sandbox mode: while the seeded history is still arriving through the webhook, says how far it got, so a
 * newcomer does not take a half-filled list for the whole history. Stops polling once everything was sent.
 */
export function SeedProgressBanner() {
  const query = useQuery({
    queryKey: queryKeys.sandboxSeedProgress,
    queryFn: async (): Promise<SeedProgress | null> => {
      const response = await fetch("/sandbox/seed-progress", { cache: "no-store" });
      if (!response.ok) return null;
      return (await response.json()).progress;
    },
    refetchInterval: (q) => (q.state.data === null || q.state.data?.done ? false : 1_000),
  });
  const progress = query.data;
  if (!progress || progress.done) return null;
  const sent = progress.delivered + progress.refused;
  const percent = progress.total > 0 ? Math.floor((sent / progress.total) * 100) : 0;
  return (
    <div
      role="status"
      data-testid="seed-progress"
      className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      <p>
        History arriving: {count(sent)} of {count(progress.total)} notifications. The list fills in as they
        are received.
      </p>
      <div className="mt-2 h-1.5 overflow-hidden rounded bg-amber-100">
        <div className="h-full bg-amber-500 transition-all" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
