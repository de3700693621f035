import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DepositActs } from "@/components/deposits/deposit-acts";
import { DepositFacts } from "@/components/deposits/deposit-facts";
import { DepositTimeline } from "@/components/deposits/deposit-timeline";
import { NoteForm } from "@/components/deposits/note-form";
import { RefreshButton } from "@/components/deposits/refresh-button";
import { RiskBlock } from "@/components/deposits/risk-block";
import { StatusBadge } from "@/components/deposits/status-badge";
import { DepositForwards } from "@/components/forwarding/deposit-forwards";
import { RiskLevelBadge } from "@/components/holds/risk-level-badge";
import { listAuditEvents } from "@/lib/audit/audit-log";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { getDeposit, getDepositTimeline } from "@/lib/deposits/timeline";
import { forwardsOfDeposit } from "@/lib/forwarding/queries";
import { merchantHistories } from "@/lib/holds/queue";
import { assessRisk, NO_HISTORY } from "@/lib/risk/assessment";
import { RISK_THRESHOLDS_SETTING } from "@/lib/risk/settings";
import { readSetting } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ transactionId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { transactionId } = await params;
  return { title: `Deposit ${decodeURIComponent(transactionId)}` };
}

export default async function DepositPage({ params }: Props) {
  const operator = await requirePageOperator();
  const transactionId = decodeURIComponent((await params).transactionId);
  const { db } = await getDatabase();
  const deposit = await getDeposit(db, transactionId);
  if (!deposit) notFound();
  const [timeline, acts, thresholds, histories, forwards] = await Promise.all([
    getDepositTimeline(db, transactionId),
    listAuditEvents(db, { transactionId, limit: 50 }),
    readSetting(db, RISK_THRESHOLDS_SETTING),
    merchantHistories(db, deposit.steamId ? [deposit.steamId] : []),
    forwardsOfDeposit(db, transactionId),
  ]);
  // The same assessment as the risk queue's, from the same module and thresholds.
  const assessment = deposit.userRisk
    ? assessRisk(
        {
          userRisk: deposit.userRisk,
          history: (deposit.steamId && histories.get(deposit.steamId)) || NO_HISTORY,
          now: new Date(),
        },
        thresholds,
      )
    : null;

  return (
    <div className="space-y-6">
      <div>
        <Link href="/deposits" className="text-sm text-sky-700 hover:underline">
          ← Deposits
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="font-mono text-xl font-semibold">{deposit.transactionId}</h1>
          <StatusBadge status={deposit.status} />
          <span className="text-sm text-slate-500">order {deposit.orderId}</span>
        </div>
        {roleAllows(operator.role, "operator") && (
          <div className="mt-2">
            <RefreshButton transactionId={deposit.transactionId} />
          </div>
        )}
      </div>
      {deposit.anomaly && (
        <p
          role="alert"
          className="rounded-md border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800"
        >
          <strong>Flagged:</strong> {deposit.anomaly}. Check this deposit in the SkinsBack panel before
          crediting.
        </p>
      )}
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <DepositFacts deposit={deposit} />
        {deposit.userRisk ? (
          <div className="space-y-3">
            {assessment && (
              <section
                className="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm"
                data-testid="deposit-risk"
              >
                <h2 className="mb-2 flex flex-wrap items-center gap-2 font-semibold">
                  Risk of approving early <RiskLevelBadge level={assessment.level} />
                  {deposit.status === "in_hold" && (
                    <Link href="/holds" className="text-xs font-normal text-sky-700 underline">
                      decide in the risk queue
                    </Link>
                  )}
                </h2>
                {assessment.reasons.length === 0 ? (
                  <p className="text-slate-600">No rule fired: a long record without rollbacks.</p>
                ) : (
                  <ul className="list-disc space-y-0.5 pl-4">
                    {assessment.reasons.map((r) => (
                      <li key={r.rule}>{r.text}</li>
                    ))}
                  </ul>
                )}
              </section>
            )}
            <RiskBlock risk={deposit.userRisk} />
          </div>
        ) : (
          <section className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-500">
            No risk data: SkinsBack sends <code>user_risk</code> only with <code>in_hold</code> notifications.
          </section>
        )}
      </div>
      <DepositTimeline entries={timeline} />
      {roleAllows(operator.role, "operator") && <NoteForm transactionId={deposit.transactionId} />}
      <DepositForwards forwards={forwards} />
      <DepositActs acts={acts.events} />
    </div>
  );
}
