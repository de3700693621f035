import type { Metadata } from "next";
import { AlertChannels } from "@/components/alerts/alert-settings";
import { type RuleForm, RulesForm } from "@/components/alerts/rules-form";
import { listChannels } from "@/lib/alerts/channel-store";
import { ALERT_RULES, effectiveRule, RULE_NAMES } from "@/lib/alerts/rule-schemas";
import { ALERT_REMINDER_MINUTES_SETTING, ALERT_RULES_SETTING } from "@/lib/alerts/settings";
import { requirePageOperator } from "@/lib/auth/page-guard";
import { getDatabase } from "@/lib/db";
import { WATCHDOG_SETTING } from "@/lib/reconciliation/settings";
import { readSetting } from "@/lib/settings/store";

export const metadata: Metadata = { title: "Alert channels" };
export const dynamic = "force-dynamic";

/** Admin: where alerts go (e-mail, Slack, Discord, Telegram, a signed JSON webhook) and what raises them. */
export default async function AlertSettingsPage() {
  await requirePageOperator();
  const { db } = await getDatabase();
  const [channels, stored, reminderMinutes, watchdog] = await Promise.all([
    listChannels(db),
    readSetting(db, ALERT_RULES_SETTING),
    readSetting(db, ALERT_REMINDER_MINUTES_SETTING),
    readSetting(db, WATCHDOG_SETTING),
  ]);
  const rules: RuleForm[] = RULE_NAMES.map((name) => {
    const rule = ALERT_RULES[name];
    return {
      name,
      label: rule.label,
      description: rule.description,
      fields: Object.entries(rule.fields as Record<string, string>).map(([key, label]) => ({
        key,
        label,
        kind: key === "usd" ? "usd" : "number",
      })),
      settings: effectiveRule(stored, name) as RuleForm["settings"],
    };
  });
  return (
    <section className="max-w-4xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Alert channels and rules</h1>
        <p className="mt-1 text-sm text-slate-500">
          Where the team hears that something is wrong. A channel's secret (a webhook URL, an SMTP password, a
          bot token) is never shown again once saved. Each message is retried like forwarding, at most 30 per
          channel in 10 minutes.
        </p>
      </div>
      <AlertChannels initial={channels} />
      <div className="space-y-2">
        <h2 className="text-lg font-semibold">Rules</h2>
        <RulesForm rules={rules} channels={channels} reminderMinutes={reminderMinutes} watchdog={watchdog} />
      </div>
    </section>
  );
}
