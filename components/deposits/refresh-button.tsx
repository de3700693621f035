"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";

type Refreshed = {
  outcome: "applied" | "duplicate" | "stale" | "conflict";
  previousStatus: string | null;
  status: string;
};

const WORDS: Record<Refreshed["outcome"], (r: Refreshed) => string> = {
  applied: (r) => `SkinsBack says ${r.status}: moved from ${r.previousStatus ?? "unknown"}.`,
  duplicate: (r) => `Up to date: SkinsBack also says ${r.status}.`,
  stale: (r) => `Up to date: SkinsBack says ${r.status}, which the console is already past.`,
  conflict: (r) => `SkinsBack says ${r.status}, which conflicts with the console: the deposit is flagged.`,
};

/** Operator role: read this deposit from SkinsBack now and apply it like a notification. */
export function RefreshButton({ transactionId }: { transactionId: string }) {
  const router = useRouter();
  const refresh = useMutation({
    mutationFn: () =>
      callApi<Refreshed>(`/api/deposits/${encodeURIComponent(transactionId)}/refresh`, {
        method: "POST",
        json: {},
      }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <Button
        type="button"
        onClick={() => refresh.mutate()}
        disabled={refresh.isPending}
        variant="secondary"
        size="sm"
      >
        {refresh.isPending ? "Asking SkinsBack…" : "Refresh from SkinsBack"}
      </Button>
      {refresh.data && (
        <span role="status" data-testid="refresh-result">
          {WORDS[refresh.data.outcome](refresh.data)}
        </span>
      )}
      {refresh.isError && (
        <span role="alert" className="text-rose-700">
          {refresh.error.message}
        </span>
      )}
    </div>
  );
}
