import type { Metadata } from "next";
import Link from "next/link";
import { EndpointStateChip } from "@/components/forwarding/endpoint-state-chip";
import { forwardEndpointHref } from "@/components/links";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { columns, LogTable } from "@/components/ui/log-table";
import { Relative, Time } from "@/components/ui/time";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { BACKLOG_COUNTED_UP_TO, endpointHealth } from "@/lib/forwarding/queries";

export const metadata: Metadata = { title: "Forwarding" };
export const dynamic = "force-dynamic";

/** Every endpoint the console forwards deposit changes to, with its health over the last 24 hours. */
export default async function ForwardingPage() {
  const operator = await requirePageOperator();
  const { db } = await getDatabase();
  const endpoints = await endpointHealth(db);
  return (
    <section className="space-y-4">
      <AutoRefresh seconds={5} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Forwarding</h1>
          <p className="mt-1 text-sm text-slate-500">
            Every verified deposit change, sent to your backend signed, retried and in order per deposit.
          </p>
        </div>
        {roleAllows(operator.role, "admin") && (
          <Link href="/settings/forwarding" className="text-sm text-sky-700 hover:underline">
            Manage endpoints →
          </Link>
        )}
      </div>
      <LogTable
        testId="endpoint-rows"
        columns={columns(
          "Endpoint",
          "State",
          "Success 24 h>",
          "p50>",
          "Backlog>",
          "Oldest waiting",
          "Last error",
        )}
        empty={
          endpoints.length === 0 &&
          "No endpoint yet. An admin adds one under Settings → Forwarding (or sets CONSOLE_FORWARD_URL); backends that pull read /api/v1/events."
        }
      >
        {endpoints.map((h) => (
          <tr key={h.endpoint.id} data-endpoint={h.endpoint.name}>
            <td className="px-3 py-2">
              <Link
                href={forwardEndpointHref(h.endpoint.id)}
                className="font-medium text-sky-700 hover:underline"
              >
                {h.endpoint.name}
              </Link>
              <span className="block max-w-xs truncate text-xs text-slate-500">{h.endpoint.url}</span>
            </td>
            <td className="px-3 py-2">
              <EndpointStateChip state={h.endpoint.state} />
            </td>
            <td className="px-3 py-2 text-right tabular-nums" data-testid="success-rate">
              {h.successRate === null ? "—" : `${(h.successRate * 100).toFixed(1)} %`}
              <span className="block text-xs text-slate-500">{h.attempts24h} attempts</span>
            </td>
            <td className="px-3 py-2 text-right tabular-nums">
              {h.p50LatencyMs === null ? "—" : `${h.p50LatencyMs} ms`}
            </td>
            <td className="px-3 py-2 text-right tabular-nums" data-testid="backlog">
              {h.backlog > BACKLOG_COUNTED_UP_TO
                ? `${BACKLOG_COUNTED_UP_TO.toLocaleString("en-US")}+`
                : h.backlog}
            </td>
            <td className="px-3 py-2 text-xs">
              {h.oldestWaitingAt ? <Relative value={h.oldestWaitingAt} /> : "—"}
            </td>
            <td className="max-w-xs px-3 py-2 text-xs text-rose-800">
              {h.lastError ? (
                <>
                  <Time value={h.lastError.at} /> · {h.lastError.error}
                </>
              ) : (
                "—"
              )}
            </td>
          </tr>
        ))}
      </LogTable>
    </section>
  );
}
