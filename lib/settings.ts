import { eq } from "drizzle-orm";
import { z } from "zod";
import { alertRulesSchema } from "@/lib/alerts/rule-schemas";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { consoleSettings } from "@/lib/db/schema";
import { DEFAULT_RETENTION, retentionSchema } from "@/lib/retention/retention";
import { DEFAULT_RISK_THRESHOLDS, riskThresholdsSchema } from "@/lib/risk/assessment";

const usdCap = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, "must be an amount in USD, e.g. 500 or 1250.50");

/** Settings admins change in the console: each a name, a zod schema and a default. */
export const SETTINGS = {
  /** After each sync of SkinsBack's failed list, replay what it found (a bulk job by the system). */
  "failed-notifications.auto-replay": { schema: z.boolean(), default: true },
  /**
   * The silence alarm: minutes without a notification, while deposits are being created, before every page shows
   * a banner (lib/overview/silence.ts). Fractions allowed (0.1 = 6 s) so a test need not wait minutes.
   */
  "alarms.silence-minutes": { schema: z.number().min(0.1).max(10_080), default: 30 },
  /** The risk assessment's thresholds (lib/risk/assessment.ts). */
  "risk.thresholds": { schema: riskThresholdsSchema, default: DEFAULT_RISK_THRESHOLDS },
  /**
   * Caps on money released early and not final yet, in USD (SkinsBack's `amount_in_currencies.usd`): per player
   * and in total; null = no cap. An approval that would pass a cap is refused, naming it.
   */
  "holds.caps": {
    schema: z.strictObject({ perPlayerUsd: usdCap.nullable(), totalUsd: usdCap.nullable() }),
    default: { perPlayerUsd: null, totalUsd: null },
  },
  /** The alert rules: each on/off, its thresholds and channels (lib/alerts/rule-schemas.ts). */
  "alerts.rules": { schema: alertRulesSchema, default: {} },
  /** While an incident stays open (not acknowledged), it is sent again this often. */
  "alerts.reminder-minutes": { schema: z.number().int().min(5).max(10_080), default: 240 },
  /**
   * The watchdogs (lib/reconciliation/watchdog.ts): a deposit `pending` this long, or in a hold this long past
   * its `in_hold_until`, is asked about with `orderstatus` and flagged stuck if SkinsBack says the same.
   */
  watchdog: {
    schema: z.strictObject({
      pendingMinutes: z.number().int().min(1).max(10_080),
      holdGraceMinutes: z.number().int().min(0).max(10_080),
    }),
    default: { pendingMinutes: 120, holdGraceMinutes: 60 },
  },
  /**
   * Result URLs besides the console's own that a deposit created through the proxy may name (`result_url`): an
   * admin's list, audited like every setting. Any other is refused (lib/gateway/proxy.ts).
   */
  "proxy.result-urls": {
    schema: z
      .array(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2_000))
      .max(20, "at most 20 URLs"),
    default: [] as string[],
  },
  /** How long the console keeps its bookkeeping (lib/retention/retention.ts says what and why). */
  retention: { schema: retentionSchema, default: DEFAULT_RETENTION },
} as const;
export type SettingName = keyof typeof SETTINGS;
type SettingValue<N extends SettingName> = z.infer<(typeof SETTINGS)[N]["schema"]>;

export async function readSetting<N extends SettingName>(db: Db, name: N): Promise<SettingValue<N>> {
  const [row] = await db.select().from(consoleSettings).where(eq(consoleSettings.name, name));
  const parsed = SETTINGS[name].schema.safeParse(row?.value);
  return (parsed.success ? parsed.data : SETTINGS[name].default) as SettingValue<N>;
}

export async function writeSetting<N extends SettingName>(
  db: Db,
  name: N,
  value: SettingValue<N>,
  by: string,
): Promise<void> {
  await db
    .insert(consoleSettings)
    .values({ name, value, updatedBy: by, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: consoleSettings.name,
      set: { value, updatedBy: by, updatedAt: new Date() },
    });
}

/**
 * An admin's change of settings: every value written and one audit act naming them all, in one transaction. The
 * settings routes call this and nothing else.
 */
export async function changeSettings(
  db: Db,
  changes: { [N in SettingName]?: SettingValue<N> },
  by: { actor: AuditActor; address: string | null },
): Promise<void> {
  const label = by.actor.kind === "operator" ? by.actor.email : by.actor.kind;
  await db.transaction(async (tx) => {
    for (const [name, value] of Object.entries(changes) as [SettingName, SettingValue<SettingName>][]) {
      if (value !== undefined) await writeSetting(tx, name, value, label);
    }
    await recordAudit(tx, {
      actor: by.actor,
      action: "settings.change",
      outcome: "ok",
      address: by.address,
      detail: Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    });
  });
}
