import { eq } from "drizzle-orm";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/ui/auto-refresh";
import { formatMoney, formatUtc } from "@/components/ui/format";
import { getConfig } from "@/lib/env";
import { getSandboxContext } from "@/lib/sandbox/sandbox-clock";
import { sandboxDeposits } from "@/lib/sandbox/schema";

// The payment page `create` hands out in sandbox mode: what the player would see on SkinsBack's site.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "SkinsBack sandbox payment" };

export default async function SandboxPaymentPage({ params }: { params: Promise<{ transactionId: string }> }) {
  if (getConfig().skinsback.mode !== "sandbox") notFound();
  const id = (await params).transactionId;
  if (!/^\d{1,15}$/.test(id)) notFound();
  const { db } = await getSandboxContext();
  const [deposit] = await db
    .select()
    .from(sandboxDeposits)
    .where(eq(sandboxDeposits.transactionId, Number(id)));
  if (!deposit) notFound();
  const money = deposit.status !== "pending" && deposit.status !== "fail";
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <AutoRefresh seconds={3} />
      <p className="text-xs font-semibold uppercase tracking-wide text-amber-700">
        SkinsBack sandbox · simulated payment page
      </p>
      <h1 className="mt-2 text-2xl font-semibold">Deposit {deposit.transactionId}</h1>
      <dl className="mt-6 grid grid-cols-[8rem_1fr] gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <dt className="text-slate-500">Order</dt>
        <dd className="font-mono">{deposit.orderId}</dd>
        <dt className="text-slate-500">Game</dt>
        <dd>{deposit.game}</dd>
        <dt className="text-slate-500">Status</dt>
        <dd data-testid="sandbox-status">{deposit.status}</dd>
        <dt className="text-slate-500">Amount</dt>
        <dd>{money ? formatMoney(deposit.amount, deposit.currency) : "chosen by the player's skins"}</dd>
        <dt className="text-slate-500">Created</dt>
        <dd>{formatUtc(deposit.createdAt)}</dd>
      </dl>
      <p className="mt-4 text-sm text-slate-500">
        The simulated player picks skins and accepts the trade by themselves; each step is sent to the Result
        URL as a signed notification. This page refreshes every 3 seconds.
      </p>
    </main>
  );
}
