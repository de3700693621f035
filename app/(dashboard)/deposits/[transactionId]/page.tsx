import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DepositActs } from "@/components/deposits/deposit-acts";
import { DepositFacts } from "@/components/deposits/deposit-facts";
import { DepositTimeline } from "@/components/deposits/deposit-timeline";
import { RefreshButton } from "@/components/deposits/refresh-button";
import { RiskBlock } from "@/components/deposits/risk-block";
import { StatusBadge } from "@/components/deposits/status-badge";
import { listAuditEvents } from "@/lib/audit/audit-log";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { roleAllows } from "@/lib/auth/roles";
import { getDatabase } from "@/lib/db";
import { getDeposit, getDepositTimeline } from "@/lib/deposits/queries";

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
  const [timeline, acts] = await Promise.all([
    getDepositTimeline(db, transactionId),
    listAuditEvents(db, { transactionId, limit: 50 }),
  ]);

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
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <DepositFacts deposit={deposit} />
        {deposit.userRisk ? (
          <RiskBlock risk={deposit.userRisk} />
        ) : (
          <section className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-500">
            No risk data: SkinsBack sends <code>user_risk</code> only with <code>in_hold</code> notifications.
          </section>
        )}
      </div>
      <DepositTimeline entries={timeline} />
      <DepositActs acts={acts.events} />
    </div>
  );
}
