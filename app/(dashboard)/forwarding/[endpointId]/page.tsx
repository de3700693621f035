import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EndpointActions } from "@/components/forwarding/endpoint-actions";
import { EndpointStateChip } from "@/components/forwarding/endpoint-state-chip";
import { MessageStateChip } from "@/components/forwarding/message-state-chip";
import { depositHref, forwardEndpointHref, forwardMessageHref } from "@/components/links";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { DateRangeInputs, FILTER_INPUT, FilterActions, SelectFilter } from "@/components/ui/filter-form";
import { FilterIssues } from "@/components/ui/filter-issues";
import { columns, LogTable } from "@/components/ui/log-table";
import { OlderLink } from "@/components/ui/older-link";
import { Time } from "@/components/ui/time";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { FORWARD_MESSAGE_STATES } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { endpointView, getEndpoint } from "@/lib/forwarding/endpoints";
import { DEPOSIT_EVENT_TYPES, TEST_EVENT_TYPE } from "@/lib/forwarding/event-types";
import { listMessages, messageFiltersSchema } from "@/lib/forwarding/queries";
import { pageFilters } from "@/lib/http/search-params";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ endpointId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export const metadata: Metadata = { title: "Forwarding endpoint" };

/** One endpoint: what it is, its actions, and its message log (filters, keyset pages). */
export default async function EndpointPage({ params, searchParams }: Props) {
  const operator = await requirePageOperator();
  const endpointId = decodeURIComponent((await params).endpointId);
  const { db } = await getDatabase();
  const endpoint = await getEndpoint(db, endpointId).catch((error) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const view = endpointView(endpoint);
  const { raw, filters, issues } = pageFilters(messageFiltersSchema, await searchParams);
  const { messages, nextBefore } = await listMessages(db, endpoint.id, filters);
  const path = forwardEndpointHref(endpoint.id);
  return (
    <section className="space-y-4">
      {!filters.before && <AutoRefresh seconds={5} />}
      <div>
        <Link href="/forwarding" className="text-sm text-sky-700 hover:underline">
          ← Forwarding
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">{view.name}</h1>
          <EndpointStateChip state={view.state} />
          <span className="text-sm text-slate-500">{view.format} format</span>
        </div>
        <p className="mt-1 font-mono text-xs break-all text-slate-600">{view.url}</p>
        {view.description && <p className="mt-1 text-sm text-slate-600">{view.description}</p>}
        {view.stateReason && (
          <p role="status" className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {view.stateReason}
          </p>
        )}
        <p className="mt-1 text-xs text-slate-500">
          Signing secret {view.secretHint}
          {view.rotating && view.previousSecretUntil && (
            <>
              {" "}
              · the previous secret signs too until <Time value={view.previousSecretUntil} />
            </>
          )}
          {" · "}types: {view.eventTypes.length === 0 ? "every change" : view.eventTypes.join(", ")} · at most{" "}
          {view.concurrency} in flight
        </p>
      </div>
      {roleAllows(operator.role, "operator") && <EndpointActions endpointId={view.id} state={view.state} />}
      <form
        method="get"
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm sm:grid-cols-3 lg:grid-cols-6"
      >
        <SelectFilter
          label="State"
          name="state"
          defaultValue={raw.state ?? ""}
          any="any"
          options={[...FORWARD_MESSAGE_STATES]}
        />
        <SelectFilter
          label="Type"
          name="type"
          defaultValue={raw.type ?? ""}
          any="any"
          options={[...DEPOSIT_EVENT_TYPES, TEST_EVENT_TYPE]}
        />
        <label>
          <span className="text-xs text-slate-500">Deposit</span>
          <input
            name="deposit"
            defaultValue={raw.deposit ?? ""}
            placeholder="transaction id"
            className={FILTER_INPUT}
          />
        </label>
        <DateRangeInputs from={raw.from} to={raw.to} />
        <FilterActions clearHref={path} />
      </form>
      <FilterIssues issues={issues} />
      <LogTable
        testId="message-rows"
        columns={columns("Made", "Type", "Deposit", "State", "Attempts>", "Last answer")}
        empty={messages.length === 0 && "No message matches these filters."}
      >
        {messages.map((m) => {
          const deposit = m.transactionId ? depositHref(m.transactionId) : undefined;
          return (
            <tr key={m.id} data-state={m.state} data-type={m.type}>
              <td className="px-3 py-2 whitespace-nowrap">
                <Link href={forwardMessageHref(m.id)} className="text-sky-700 hover:underline">
                  <Time value={m.createdAt} />
                </Link>
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                {m.type}
                {m.sequence !== null && <span className="text-slate-500"> #{m.sequence}</span>}
              </td>
              <td className="px-3 py-2 font-mono text-xs">
                {deposit ? (
                  <Link href={deposit} className="text-sky-700 hover:underline">
                    {m.transactionId}
                  </Link>
                ) : (
                  (m.transactionId ?? "—")
                )}
              </td>
              <td className="px-3 py-2">
                <MessageStateChip state={m.state} />
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{m.attempts}</td>
              <td className="max-w-xs truncate px-3 py-2 text-xs text-slate-600">
                {m.state === "delivered"
                  ? `HTTP ${m.lastHttpStatus}`
                  : (m.lastError ?? (m.state === "waiting" ? "not sent yet" : ""))}
                {m.state === "waiting" && m.attempts > 0 && (
                  <span className="block text-slate-500">
                    next try <Time value={m.nextAttemptAt} />
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </LogTable>
      <OlderLink path={path} params={raw} nextBefore={nextBefore} />
    </section>
  );
}
