import type { Metadata } from "next";
import Link from "next/link";
import { ExposureBoard } from "@/components/holds/exposure-board";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { readExposure } from "@/lib/holds/exposure";

export const metadata: Metadata = { title: "Exposure" };
export const dynamic = "force-dynamic";

/** What early approvals put at risk, and what reversals took back. */
export default async function ExposurePage() {
  await requirePageOperator();
  const { db } = await getDatabase();
  const exposure = await readExposure(db);
  return (
    <section className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h1 className="text-xl font-semibold">Exposure</h1>
        <Link href="/holds" className="text-sm text-sky-700 underline">
          ← Risk queue
        </Link>
      </div>
      <ExposureBoard initial={exposure} />
    </section>
  );
}
