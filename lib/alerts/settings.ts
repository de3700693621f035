import { z } from "zod";
import { defineSetting } from "@/lib/settings/store";
import { alertRulesSchema } from "./rule-schemas";

/** The alert rules: each on/off, its thresholds and channels (./rule-schemas.ts). */
export const ALERT_RULES_SETTING = defineSetting("alerts.rules", alertRulesSchema, {});

/** While an incident stays open (not acknowledged), it is sent again this often. */
export const ALERT_REMINDER_MINUTES_SETTING = defineSetting(
  "alerts.reminder-minutes",
  z.number().int().min(5).max(10_080),
  240,
);
