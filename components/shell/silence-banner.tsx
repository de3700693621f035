"use client";

import Link from "next/link";
import { formatMinutes, useSilence } from "@/components/overview/use-silence";
import { Relative } from "@/components/ui/time";
import type { Silence } from "@/lib/deposits/silence";

/**
 * On every page: SkinsBack has gone quiet while deposits are being created (lib/deposits/silence.ts). Rendered
 * with the page, then polled, so it appears and clears without a reload.
 */
export function SilenceBanner({ initial }: { initial: Silence }) {
  const { data: silence } = useSilence(initial);
  if (!silence?.alarm) return null;
  return (
    <div
      role="alert"
      data-testid="silence-alarm"
      className="border-b border-rose-300 bg-rose-50 text-rose-900"
    >
      <p className="mx-auto max-w-7xl px-4 py-2 text-sm sm:px-6">
        <strong className="font-semibold">No notification from SkinsBack</strong>{" "}
        {silence.lastNotificationAt ? (
          <>
            since <Relative value={silence.lastNotificationAt} />
          </>
        ) : (
          "has ever arrived"
        )}{" "}
        (alarm after {formatMinutes(silence.thresholdMinutes)}), while deposits are being created. Check the
        Result URL in SkinsBack's project settings and that this server is reachable;{" "}
        <Link href="/webhooks" className="font-medium underline">
          delivery log
        </Link>
        {" · "}
        <Link href="/webhooks/failed" className="font-medium underline">
          failed notifications
        </Link>
        .
      </p>
    </div>
  );
}
