"use client";

import { useQuery } from "@tanstack/react-query";
import { callApi } from "@/components/api-client";
import { queryKeys } from "@/components/query-keys";
import type { Silence } from "@/lib/deposits/silence";

/**
 * The silence alarm's state, polled. One query for the whole page: the shell's banner seeds it with what the
 * layout read on the server, and the overview's card reads the same cache.
 */
export function useSilence(initial?: Silence) {
  return useQuery({
    queryKey: queryKeys.silence,
    queryFn: () => callApi<Silence>("/api/overview/silence"),
    initialData: initial,
    refetchInterval: 10_000,
  });
}

/** The threshold in words: "30 min", or "6 s" under a minute. */
export function formatMinutes(minutes: number): string {
  return minutes < 1 ? `${Math.round(minutes * 60)} s` : `${minutes} min`;
}
