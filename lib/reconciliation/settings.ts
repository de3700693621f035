import { z } from "zod";
import { defineSetting } from "@/lib/settings/store";

/**
 * The watchdogs (./watchdog.ts): a deposit `pending` this long, or in a hold this long past its `in_hold_until`,
 * is asked about with `orderstatus` and flagged stuck if SkinsBack says the same.
 */
export const WATCHDOG_SETTING = defineSetting(
  "watchdog",
  z.strictObject({
    pendingMinutes: z.number().int().min(1).max(10_080),
    holdGraceMinutes: z.number().int().min(0).max(10_080),
  }),
  { pendingMinutes: 120, holdGraceMinutes: 60 },
);
