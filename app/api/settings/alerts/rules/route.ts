// The alert rules, the reminder interval and the watchdogs' times (admin), saved together; audited as a settings
// change.
import { z } from "zod";
import { ALERT_REMINDER_MINUTES_SETTING, ALERT_RULES_SETTING } from "@/lib/alerts/settings";
import { WATCHDOG_SETTING } from "@/lib/reconciliation/settings";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, settingChange } from "@/lib/settings/store";

export const dynamic = "force-dynamic";

const body = z.strictObject({
  rules: ALERT_RULES_SETTING.schema,
  reminderMinutes: ALERT_REMINDER_MINUTES_SETTING.schema,
  watchdog: WATCHDOG_SETTING.schema,
});

export const PUT = withRoute({ body }, async ({ db, body, actor, address }) => {
  await changeSettings(
    db,
    [
      settingChange(ALERT_RULES_SETTING, body.rules),
      settingChange(ALERT_REMINDER_MINUTES_SETTING, body.reminderMinutes),
      settingChange(WATCHDOG_SETTING, body.watchdog),
    ],
    { actor, address },
  );
  return Response.json(body);
});
