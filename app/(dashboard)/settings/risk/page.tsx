import type { Metadata } from "next";
import { RiskSettingsForm } from "@/components/holds/risk-settings-form";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { HOLD_CAPS_SETTING } from "@/lib/holds/settings";
import { RISK_THRESHOLDS_SETTING } from "@/lib/risk/settings";
import { readSetting } from "@/lib/settings/store";

export const metadata: Metadata = { title: "Risk settings" };
export const dynamic = "force-dynamic";

/** Admin: the risk assessment's thresholds and the exposure caps (changes are audited). */
export default async function RiskSettingsPage() {
  await requirePageOperator();
  const { db } = await getDatabase();
  const [thresholds, caps] = await Promise.all([
    readSetting(db, RISK_THRESHOLDS_SETTING),
    readSetting(db, HOLD_CAPS_SETTING),
  ]);
  return (
    <section className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold">Risk settings</h1>
      <RiskSettingsForm thresholds={thresholds} caps={caps} />
    </section>
  );
}
