import type { Metadata } from "next";
import { DepositTable } from "@/components/deposits/deposit-table";
import { SeedProgressBanner } from "@/components/sandbox/seed-progress-banner";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { depositListParamsSchema, listDeposits } from "@/lib/deposits/queries";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Deposits" };
export const dynamic = "force-dynamic";

export default async function DepositsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageOperator();
  const params = depositListParamsSchema.parse(await searchParams);
  const { db } = await getDatabase();
  const page = await listDeposits(db, params);
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-xl font-semibold">Deposits</h1>
        <p className="text-sm text-slate-500">Newest first · refreshes every 5 seconds</p>
      </div>
      {getConfig().skinsback.mode === "sandbox" && <SeedProgressBanner />}
      <DepositTable params={params} initialPage={page} />
    </section>
  );
}
