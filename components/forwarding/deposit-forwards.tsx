import Link from "next/link";
import { forwardEndpointHref, forwardMessageHref } from "@/components/links";
import { Time } from "@/components/ui/time";
import type { DepositForward } from "@/lib/forwarding/queries";
import { MessageStateChip } from "./message-state-chip";

/** A deposit's forwarded messages: each change, to which endpoint, how it went, after how many attempts. */
export function DepositForwards({ forwards }: { forwards: DepositForward[] }) {
  return (
    <section
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="deposit-forwards"
    >
      <h2 className="mb-3 text-sm font-semibold">
        Forwarded to your backend · {forwards.length}{" "}
        <span className="font-normal text-slate-500">(each change, per endpoint, with its attempts)</span>
      </h2>
      {forwards.length === 0 ? (
        <p className="text-sm text-slate-500">
          Nothing forwarded: no endpoint was set up when this deposit changed (see Forwarding).
        </p>
      ) : (
        <ol className="space-y-2 text-sm">
          {forwards.map((f) => (
            <li
              key={f.id}
              className="flex flex-wrap items-center gap-2"
              data-testid="deposit-forward"
              data-state={f.state}
            >
              <span className="tabular-nums text-slate-500">
                <Time value={f.createdAt} />
              </span>
              <Link href={forwardMessageHref(f.id)} className="font-mono text-xs text-sky-700 underline">
                {f.type} #{f.sequence}
              </Link>
              <span className="text-xs">
                to{" "}
                <Link href={forwardEndpointHref(f.endpointId)} className="text-sky-700 underline">
                  {f.endpointName}
                </Link>
              </span>
              <MessageStateChip state={f.state} />
              <span className="text-xs text-slate-500">
                {f.attemptCount} attempt{f.attemptCount === 1 ? "" : "s"}
                {f.lastHttpStatus !== null && ` · last HTTP ${f.lastHttpStatus}`}
                {f.state !== "delivered" && f.lastError && ` · ${f.lastError}`}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
