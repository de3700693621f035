// Alert settings (admin): the channels (never their secrets) and the rules.
import { listChannels } from "@/lib/alerts/channel-store";
import { ALERT_REMINDER_MINUTES_SETTING, ALERT_RULES_SETTING } from "@/lib/alerts/settings";
import { WATCHDOG_SETTING } from "@/lib/reconciliation/settings";
import { withRoute } from "@/lib/route/with-route";
import { readSetting } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) =>
  Response.json({
    channels: await listChannels(db),
    rules: await readSetting(db, ALERT_RULES_SETTING),
    reminderMinutes: await readSetting(db, ALERT_REMINDER_MINUTES_SETTING),
    watchdog: await readSetting(db, WATCHDOG_SETTING),
  }),
);
