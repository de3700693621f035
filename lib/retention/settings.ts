import { defineSetting } from "@/lib/settings/store";
import { DEFAULT_RETENTION, retentionSchema } from "./retention";

/** How long the console keeps its bookkeeping (./retention.ts says what and why). */
export const RETENTION_SETTING = defineSetting("retention", retentionSchema, DEFAULT_RETENTION);
