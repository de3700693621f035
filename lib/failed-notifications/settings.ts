import { z } from "zod";
import { defineSetting } from "@/lib/settings/store";

/** After each sync of SkinsBack's failed list, replay what it found (a bulk job by the system). */
export const AUTO_REPLAY_SETTING = defineSetting("failed-notifications.auto-replay", z.boolean(), true);
