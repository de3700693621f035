import type { JobDefinition } from "@/lib/jobs/scheduler";
import { RETENTION_SETTING } from "@/lib/retention/settings";
import { readSetting } from "@/lib/settings/store";
import { pruneHistory } from "./retention";

export const RETENTION_JOB = "retention";

/** Once a day on one instance (lib/jobs/scheduler.ts), with the retention an admin set. */
export function retentionJob(): JobDefinition {
  return {
    name: RETENTION_JOB,
    intervalMs: 86_400_000,
    staleAfterMs: 60 * 60_000,
    run: async (db) => pruneHistory(db, await readSetting(db, RETENTION_SETTING)),
  };
}
