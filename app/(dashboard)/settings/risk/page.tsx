import type { Metadata } from "next";
import { RiskSettingsForm } from "@/components/holds/risk-settings-form";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { readSetting } from "@/lib/settings";

export const metadata: Metadata = { title: "Risk settings" };
export const dynamic = "force-dynamic";

/** Admin: the risk assessment's thresholds and the exposure caps (changes are audited). */
export default async function RiskSettingsPage() {
  await requirePageOperator();
  const { db } = await getDatabase();
  const [thresholds, caps] = await Promise.all([
    readSetting(db, "risk.thresholds"),
    readSetting(db, "holds.caps"),
  ]);
  return (
    <section className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold">Risk settings</h1>
      <RiskSettingsForm thresholds={thresholds} caps={caps} />
    </section>
  );
}
