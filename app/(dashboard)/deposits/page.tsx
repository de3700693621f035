import type { Metadata } from "next";
import { DepositFiltersForm } from "@/components/deposits/deposit-filters";
import { DepositTable } from "@/components/deposits/deposit-table";
import { SeedProgressBanner } from "@/components/sandbox/seed-progress-banner";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { depositListParamsSchema, depositTotals, listDeposits } from "@/lib/deposits/queries";
import { getConfig } from "@/lib/env";

export const metadata: Metadata = { title: "Deposits" };
export const dynamic = "force-dynamic";

export default async function DepositsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageOperator();
  // A GET form sends each ticked status as its own `status`: joined into the one comma-separated value.
  const raw = Object.fromEntries(
    Object.entries(await searchParams)
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v] as const)
      .filter(([, v]) => typeof v === "string" && v !== ""),
  ) as Record<string, string>;
  const parsed = depositListParamsSchema.safeParse(raw);
  const params = parsed.success ? parsed.data : depositListParamsSchema.parse({});
  const { db } = await getDatabase();
  const [page, totals] = await Promise.all([listDeposits(db, params), depositTotals(db, params)]);
  const { cursor: _cursor, ...filterQuery } = raw;
  const filters = new URLSearchParams(parsed.success ? filterQuery : {}).toString();
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-xl font-semibold">Deposits</h1>
        <p className="text-sm text-slate-500">Newest first · refreshes every 5 seconds</p>
      </div>
      {getConfig().skinsback.mode === "sandbox" && <SeedProgressBanner />}
      <DepositFiltersForm filters={params} totals={totals} exportQuery={filters} />
      {!parsed.success && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          Some filters were not understood and are ignored:{" "}
          {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
        </p>
      )}
      <DepositTable params={params} filterQuery={filters} initialPage={page} />
    </section>
  );
}
