import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OutcomeChip } from "@/components/deliveries/outcome-chip";
import { ReplayDelivery } from "@/components/deliveries/replay-delivery";
import { DepositLink } from "@/components/deposits/deposit-link";
import { deliveryHref } from "@/components/links";
import { CopyButton } from "@/components/ui/copy-button";
import { formatUtc } from "@/components/ui/format";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { bodyAsText, getDelivery, prettyBody } from "@/lib/deposits/delivery-log";
import { REPLAYABLE_DELIVERY_OUTCOMES } from "@/lib/failed-notifications/replay";

export const metadata: Metadata = { title: "Delivery" };
export const dynamic = "force-dynamic";

/** One inbound request exactly as stored: how it was judged, its headers (credentials redacted), its body. */
export default async function DeliveryPage({ params }: { params: Promise<{ deliveryId: string }> }) {
  const operator = await requirePageOperator();
  const { deliveryId } = await params;
  if (!/^\d{1,15}$/.test(deliveryId)) notFound();
  const { db } = await getDatabase();
  const delivery = await getDelivery(db, Number(deliveryId));
  if (!delivery) notFound();
  const body = bodyAsText(delivery.rawBody);
  const pretty = body.kind === "text" ? prettyBody(body.text, delivery.contentType) : null;
  // A refused original (not a replay's own record) can be replayed from here, as from the failed screen.
  const replayable =
    roleAllows(operator.role, "operator") &&
    delivery.replayOfDeliveryId === null &&
    (REPLAYABLE_DELIVERY_OUTCOMES as readonly string[]).includes(delivery.outcome) &&
    delivery.rawBody.length > 0;
  const facts: [string, string][] = [
    ["Received", formatUtc(delivery.receivedAt)],
    ["Answered", `HTTP ${delivery.httpStatus} in ${delivery.durationMs} ms`],
    ["From", delivery.remoteAddress ?? "—"],
    [
      "Signature (sign)",
      `${delivery.signCheck}${delivery.signVariant ? ` (${delivery.signVariant} variant)` : ""}`,
    ],
    ["X-SIGN header", delivery.xSignCheck],
    ["Content type", delivery.contentType ?? "—"],
    ["Encoding", delivery.encoding ?? "—"],
    [
      "Body",
      `${delivery.bodyBytes} bytes${delivery.bodyTruncated ? " (only the first bytes were kept)" : ""}, sha256 ${delivery.bodySha256 ?? "—"}`,
    ],
  ];
  if (delivery.error) facts.push(["Why", delivery.error]);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/webhooks" className="text-sm text-sky-700 hover:underline">
          ← Delivery log
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">Delivery #{delivery.id}</h1>
          <OutcomeChip value={delivery.outcome} />
          {delivery.transactionId && (
            <DepositLink
              transactionId={delivery.transactionId}
              className="font-mono text-sm text-sky-700 hover:underline"
            >
              deposit {delivery.transactionId}
            </DepositLink>
          )}
          {delivery.replayOfDeliveryId && (
            <Link
              href={deliveryHref(delivery.replayOfDeliveryId)}
              className="text-sm text-sky-700 hover:underline"
            >
              replay of #{delivery.replayOfDeliveryId}
            </Link>
          )}
        </div>
      </div>
      {replayable && <ReplayDelivery deliveryId={delivery.id} />}
      <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[12rem_1fr]">
        {facts.map(([name, value]) => (
          <div key={name} className="contents">
            <dt className="text-slate-500">{name}</dt>
            <dd className="break-all">{value}</dd>
          </div>
        ))}
      </dl>
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="mb-2 text-sm font-semibold">Headers (credentials redacted)</h2>
        <table className="text-xs">
          <tbody>
            {Object.entries(delivery.headers).map(([name, value]) => (
              <tr key={name}>
                <td className="py-0.5 pr-4 font-mono text-slate-500">{name}</td>
                <td className="py-0.5 font-mono break-all">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {pretty && (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 text-sm font-semibold">Body, laid out (numbers exactly as sent)</h2>
          <pre
            data-testid="pretty-body"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a long body scrolls, and a keyboard must be able to scroll it too (axe: scrollable-region-focusable)
            tabIndex={0}
            className="max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs break-all whitespace-pre-wrap"
          >
            {pretty}
          </pre>
        </section>
      )}
      <section className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="mb-2 flex items-center justify-between gap-2">
          <h2 className="text-sm font-semibold">
            Raw body{body.kind === "hex" ? " (not UTF-8: shown as hex)" : ""}
          </h2>
          <CopyButton text={body.text} label="Copy body" />
        </div>
        <pre
          data-testid="raw-body"
          className="max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs break-all whitespace-pre-wrap"
        >
          {body.text}
        </pre>
      </section>
    </div>
  );
}
