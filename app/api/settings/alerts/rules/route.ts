// The alert rules, the reminder interval and the watchdogs' times (admin), saved together; audited as a settings
// change.
import { z } from "zod";
import { withRoute } from "@/lib/route/with-route";
import { changeSettings, SETTINGS } from "@/lib/settings";

export const dynamic = "force-dynamic";

const body = z.strictObject({
  rules: SETTINGS["alerts.rules"].schema,
  reminderMinutes: SETTINGS["alerts.reminder-minutes"].schema,
  watchdog: SETTINGS.watchdog.schema,
});

export const PUT = withRoute({ body }, async ({ db, body, actor, address }) => {
  await changeSettings(
    db,
    { "alerts.rules": body.rules, "alerts.reminder-minutes": body.reminderMinutes, watchdog: body.watchdog },
    { actor, address },
  );
  return Response.json(body);
});
