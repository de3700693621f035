"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { callApi } from "@/components/api-client";
import { Button } from "@/components/ui/button";
import type { ReplayResult } from "@/lib/failed-notifications/replay";
import { ReplayOutcome } from "./replay-outcome";

/**
 * "Replay this delivery" on a refused delivery's page (operator): its stored bytes go through the receiver again,
 * once — the same replay as the failed screen's, audited, and a second click is told who did it.
 */
export function ReplayDelivery({ deliveryId }: { deliveryId: number }) {
  const [asking, setAsking] = useState(false);
  const replay = useMutation({
    mutationFn: () =>
      callApi<ReplayResult>("/api/webhooks/failed/replay", {
        method: "POST",
        json: { kind: "delivery", id: deliveryId },
      }),
  });
  if (replay.data) return <ReplayOutcome outcome={replay.data} />;
  if (!asking) {
    return (
      <Button onClick={() => setAsking(true)} disabled={replay.isPending}>
        Replay this delivery…
      </Button>
    );
  }
  return (
    <div
      role="alertdialog"
      aria-label="Replay this delivery"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
    >
      <p>
        Its stored bytes go through the webhook receiver again, as a new delivery linked to this one. If the
        signature verifies now, the deposit takes the status it carries.
      </p>
      <div className="mt-2 flex gap-2">
        <Button variant="primary" onClick={() => replay.mutate()} disabled={replay.isPending}>
          {replay.isPending ? "Replaying…" : "Replay"}
        </Button>
        <Button onClick={() => setAsking(false)} disabled={replay.isPending}>
          Cancel
        </Button>
      </div>
      {replay.isError && (
        <p role="alert" className="mt-2 text-rose-800">
          {replay.error.message}
        </p>
      )}
    </div>
  );
}
