// Alert settings (admin): the channels (never their secrets) and the rules.
import { listChannels } from "@/lib/alerts/channel-store";
import { withRoute } from "@/lib/route/with-route";
import { readSetting } from "@/lib/settings";

export const dynamic = "force-dynamic";

export const GET = withRoute({}, async ({ db }) =>
  Response.json({
    channels: await listChannels(db),
    rules: await readSetting(db, "alerts.rules"),
    reminderMinutes: await readSetting(db, "alerts.reminder-minutes"),
    watchdog: await readSetting(db, "watchdog"),
  }),
);
