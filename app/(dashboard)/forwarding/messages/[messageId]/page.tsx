import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MessageStateChip } from "@/components/forwarding/message-state-chip";
import { ResendButton } from "@/components/forwarding/resend-button";
import { depositHref, forwardEndpointHref } from "@/components/links";
import { CopyButton } from "@/components/ui/copy-button";
import { columns, LogTable } from "@/components/ui/log-table";
import { Time } from "@/components/ui/time";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { getConfig } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { getMessage } from "@/lib/forwarding/queries";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Forwarded message" };

type Props = { params: Promise<{ messageId: string }> };

/** One message: what is sent (headers without the signature), and every attempt with its answer. */
export default async function MessagePage({ params }: Props) {
  const operator = await requirePageOperator();
  const raw = decodeURIComponent((await params).messageId);
  if (!/^\d{1,15}$/.test(raw)) notFound();
  const { db } = await getDatabase();
  const { clientId, clientSecret } = getConfig().skinsback;
  const revealSignature = roleAllows(operator.role, "admin");
  const detail = await getMessage(db, Number(raw), { clientId, clientSecret }, { revealSignature }).catch(
    (error) => {
      if (error instanceof AppError && error.code === "not_found") notFound();
      throw error;
    },
  );
  const { message, endpoint, attempts } = detail;
  const deposit = message.transactionId ? depositHref(message.transactionId) : undefined;
  let pretty = detail.body;
  try {
    pretty = JSON.stringify(JSON.parse(detail.body), null, 2);
  } catch {
    // a form body (the skinsback format) is shown as sent
  }
  return (
    <section className="space-y-4">
      <div>
        <Link href={forwardEndpointHref(endpoint.id)} className="text-sm text-sky-700 hover:underline">
          ← {endpoint.name}
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="font-mono text-xl font-semibold">{detail.webhookId}</h1>
          <MessageStateChip state={message.state} />
          <span className="font-mono text-sm">{message.type}</span>
          {deposit && (
            <Link href={deposit} className="text-sm text-sky-700 hover:underline">
              deposit {message.transactionId}
              {message.sequence !== null && ` · change #${message.sequence}`}
            </Link>
          )}
        </div>
        <p className="mt-1 text-sm text-slate-600">
          Made <Time value={message.createdAt} />
          {message.deliveredAt && (
            <>
              {" "}
              · delivered <Time value={message.deliveredAt} />
            </>
          )}
          {message.state === "waiting" && (
            <>
              {" "}
              · next attempt <Time value={message.nextAttemptAt} />
            </>
          )}
          {message.state === "failed" &&
            ` · failed after ${message.attempts} attempts: ${message.lastError ?? ""}`}
        </p>
        {roleAllows(operator.role, "operator") && message.state !== "waiting" && (
          <div className="mt-2">
            <ResendButton messageId={message.id} />
          </div>
        )}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <h2 className="mb-2 font-semibold">Headers</h2>
          <dl className="space-y-1 font-mono text-xs" data-testid="message-headers">
            {Object.entries(detail.headers).map(([name, value]) => (
              <div key={name} className="flex gap-2">
                <dt className="text-slate-500">{name}:</dt>
                <dd className="break-all">{value}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-2 text-xs text-slate-500">
            The signature and timestamp are made fresh for each attempt; the body and webhook-id never change.
          </p>
        </section>
        <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <div className="mb-2 flex items-center justify-between">
            <h2 className="font-semibold">Body</h2>
            <CopyButton text={detail.body} label="Copy body" />
          </div>
          <pre
            className="rounded bg-slate-900 p-2 text-[11px] break-all whitespace-pre-wrap text-slate-100"
            data-testid="message-body"
          >
            {pretty}
          </pre>
        </section>
      </div>
      <LogTable
        testId="attempt-rows"
        columns={columns("When", "Answer", "Took>", "Response (first 1 KB)")}
        empty={attempts.length === 0 && "Not attempted yet."}
      >
        {attempts.map((a) => (
          <tr key={a.id} data-delivered={a.delivered}>
            <td className="px-3 py-2 whitespace-nowrap">
              <Time value={a.attemptedAt} />
            </td>
            <td className={a.delivered ? "px-3 py-2 text-emerald-800" : "px-3 py-2 text-rose-800"}>
              {a.httpStatus !== null ? `HTTP ${a.httpStatus}` : "no answer"}
              {a.error && <span className="block text-xs">{a.error}</span>}
            </td>
            <td className="px-3 py-2 text-right tabular-nums">{a.durationMs} ms</td>
            <td className="max-w-md px-3 py-2">
              <pre className="break-all text-[11px] whitespace-pre-wrap text-slate-600">
                {a.response ?? ""}
              </pre>
            </td>
          </tr>
        ))}
      </LogTable>
    </section>
  );
}
