import Link from "next/link";
import { OutcomeChip } from "@/components/deliveries/outcome-chip";
import { deliveryHref, hrefWithQuery } from "@/components/links";
import { CopyButton } from "@/components/ui/copy-button";
import { Time } from "@/components/ui/time";
import type { TimelineEntry } from "@/lib/deposits/timeline";
import { StatusBadge } from "./status-badge";

export function DepositTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="mb-3 text-sm font-semibold">
        Timeline · {entries.length} in the order they happened{" "}
        <span className="font-normal text-slate-500">
          (notifications, deliveries, SkinsBack calls, notes)
        </span>
      </h2>
      <ol className="space-y-3" data-testid="timeline">
        {entries.map((entry) => {
          if (entry.note) {
            return (
              <li key={entry.key} className="border-l-2 border-amber-300 pl-4" data-testid="timeline-note">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="tabular-nums text-slate-500">
                    <Time value={entry.at} />
                  </span>
                  <span className="font-medium">Note</span>
                  <span className="text-xs text-slate-500">by {entry.note.by}</span>
                </div>
                <p className="mt-1 text-sm break-words whitespace-pre-wrap">{entry.note.body}</p>
              </li>
            );
          }
          if (entry.call) {
            const call = entry.call;
            return (
              <li key={entry.key} className="border-l-2 border-sky-200 pl-4" data-testid="timeline-entry">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="tabular-nums text-slate-500">
                    <Time value={entry.at} />
                  </span>
                  <span className="font-medium">
                    SkinsBack <code>{call.method}</code>
                  </span>
                  <span
                    className={call.outcome === "ok" ? "text-xs text-emerald-800" : "text-xs text-rose-800"}
                  >
                    {call.outcome === "ok"
                      ? "answered"
                      : `${call.outcome}${call.errorCode !== null ? ` ${call.errorCode}` : ""}${call.errorMessage ? `: ${call.errorMessage}` : ""}`}
                  </span>
                  <span className="text-xs text-slate-500">
                    by {call.caller} · {call.durationMs} ms ·{" "}
                    <Link
                      href={hrefWithQuery("/api-calls", { method: call.method })}
                      className="text-sky-700 underline"
                    >
                      call log
                    </Link>
                  </span>
                </div>
              </li>
            );
          }
          const status = entry.event?.status ?? entry.delivery?.notificationStatus ?? null;
          const outcome = entry.event?.outcome ?? entry.delivery?.outcome ?? "unknown";
          return (
            <li key={entry.key} className="border-l-2 border-slate-200 pl-4" data-testid="timeline-entry">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="tabular-nums text-slate-500">
                  <Time value={entry.at} />
                </span>
                {/* A refused delivery's status is only a claim: it moved nothing, so it gets no coloured badge. */}
                {status && entry.event && <StatusBadge status={status} />}
                {status && !entry.event && (
                  <span className="text-xs text-slate-500" data-claimed-status={status}>
                    claims {status.replace("_", " ")}
                  </span>
                )}
                <OutcomeChip value={outcome} />
                {entry.event?.previousStatus && (
                  <span className="text-xs text-slate-500">deposit was {entry.event.previousStatus}</span>
                )}
                {entry.event && <span className="text-xs text-slate-500">via {entry.event.source}</span>}
              </div>
              {entry.delivery && (
                <p className="mt-1 text-xs text-slate-500">
                  <Link href={deliveryHref(entry.delivery.id)} className="text-sky-700 underline">
                    delivery #{entry.delivery.id}
                  </Link>{" "}
                  · HTTP {entry.delivery.httpStatus} · sign {entry.delivery.signCheck}
                  {entry.delivery.signVariant ? ` (${entry.delivery.signVariant})` : ""} · X-SIGN{" "}
                  {entry.delivery.xSignCheck}
                  {entry.delivery.encoding ? ` · ${entry.delivery.encoding}` : ""} ·{" "}
                  {entry.delivery.durationMs} ms
                </p>
              )}
              {(entry.event?.note || entry.delivery?.error) && (
                <p className="mt-1 text-xs text-rose-700">{entry.event?.note ?? entry.delivery?.error}</p>
              )}
              {entry.event && (
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-sky-700">payload</summary>
                  <div className="mt-1 space-y-1">
                    <CopyButton text={JSON.stringify(entry.event.payload, null, 2)} label="Copy payload" />
                    <pre className="max-h-64 overflow-auto rounded bg-slate-900 p-2 text-[11px] text-slate-100">
                      {JSON.stringify(entry.event.payload, null, 2)}
                    </pre>
                  </div>
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
