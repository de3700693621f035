import type { Metadata } from "next";
import Link from "next/link";
import { OutcomeChip } from "@/components/deliveries/outcome-chip";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { formatUtc } from "@/components/ui/format";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { DELIVERY_OUTCOMES, deliveryFiltersSchema, listDeliveries } from "@/lib/deposits/delivery-log";

export const metadata: Metadata = { title: "Delivery log" };
export const dynamic = "force-dynamic";

/** Every request that reached the Result URL, as it was received and answered. */
export default async function DeliveryLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageOperator();
  const raw = Object.fromEntries(
    Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== ""),
  ) as Record<string, string>;
  const parsed = deliveryFiltersSchema.safeParse(raw);
  const filters = parsed.success ? parsed.data : deliveryFiltersSchema.parse({});
  const { db } = await getDatabase();
  const { deliveries, nextBefore } = await listDeliveries(db, filters);
  const { before: _before, ...kept } = raw;
  const older = new URLSearchParams({ ...kept, before: String(nextBefore ?? "") });
  const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1";
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-xl font-semibold">Delivery log</h1>
        <p className="text-sm text-slate-500">
          Every request to the Result URL, newest first{filters.before ? "" : " · refreshes every 5 seconds"}
        </p>
      </div>
      {!filters.before && <AutoRefresh seconds={5} />}
      <form
        method="get"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-5"
      >
        <label>
          <span className="text-xs text-slate-500">Outcome</span>
          <select name="outcome" defaultValue={raw.outcome ?? ""} className={input}>
            <option value="">any</option>
            {DELIVERY_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="text-xs text-slate-500">Transaction id</span>
          <input name="transactionId" defaultValue={raw.transactionId ?? ""} className={input} />
        </label>
        <label>
          <span className="text-xs text-slate-500">From (UTC date)</span>
          <input name="from" type="date" defaultValue={raw.from ?? ""} className={input} />
        </label>
        <label>
          <span className="text-xs text-slate-500">To (UTC date)</span>
          <input name="to" type="date" defaultValue={raw.to ?? ""} className={input} />
        </label>
        <div className="flex items-end gap-2">
          <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white">
            Filter
          </button>
          <Link href="/webhooks" className="rounded-md border border-slate-300 px-3 py-1.5">
            Clear
          </Link>
        </div>
      </form>
      {!parsed.success && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Some filters were not understood and are ignored:{" "}
          {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs text-slate-500 uppercase">
            <tr>
              <th className="px-3 py-2">Received</th>
              <th className="px-3 py-2">Outcome</th>
              <th className="px-3 py-2">Answered</th>
              <th className="px-3 py-2">Signature</th>
              <th className="px-3 py-2">Deposit</th>
              <th className="px-3 py-2">From</th>
              <th className="px-3 py-2 text-right">Took</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100" data-testid="delivery-rows">
            {deliveries.length === 0 && (
              <tr>
                <td colSpan={7} className="px-3 py-6 text-center text-slate-500">
                  No request matches these filters.
                </td>
              </tr>
            )}
            {deliveries.map((d) => (
              <tr key={d.id} data-delivery-id={d.id} data-outcome={d.outcome}>
                <td className="px-3 py-2 whitespace-nowrap">
                  <Link href={`/webhooks/${d.id}`} className="text-sky-700 hover:underline">
                    {formatUtc(d.receivedAt)}
                  </Link>
                  {d.replayOfDeliveryId && (
                    <span className="block text-xs text-slate-500">replay of #{d.replayOfDeliveryId}</span>
                  )}
                </td>
                <td className="px-3 py-2">
                  <OutcomeChip value={d.outcome} />
                  {d.notificationStatus && (
                    <span className="ml-1 text-xs text-slate-500">{d.notificationStatus}</span>
                  )}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{d.httpStatus}</td>
                <td className="px-3 py-2 text-xs">
                  sign {d.signCheck}
                  {d.signVariant ? ` (${d.signVariant})` : ""} · X-SIGN {d.xSignCheck}
                </td>
                <td className="px-3 py-2">
                  {d.transactionId ? (
                    <Link
                      href={`/deposits/${d.transactionId}`}
                      className="font-mono text-sky-700 hover:underline"
                    >
                      {d.transactionId}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="px-3 py-2 font-mono text-xs">{d.remoteAddress ?? "—"}</td>
                <td className="px-3 py-2 text-right text-xs whitespace-nowrap">{d.durationMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextBefore !== null && (
        <Link href={`/webhooks?${older}`} className="text-sm text-sky-700 hover:underline">
          Older →
        </Link>
      )}
    </section>
  );
}
