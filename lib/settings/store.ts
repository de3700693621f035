import { eq } from "drizzle-orm";
import type { z } from "zod";
import { type AuditActor, actorName, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { consoleSettings } from "@/lib/db/schema";

/**
 * Settings admins change in the console, stored by name (`console_settings`). The store knows no setting: each
 * domain defines its own (`defineSetting`, e.g. lib/holds/settings.ts) next to the code that reads it, so this
 * module sits below every domain and imports none of them.
 */

export type Setting<T> = { readonly name: string; readonly schema: z.ZodType<T>; readonly default: T };

export function defineSetting<S extends z.ZodType>(
  name: string,
  schema: S,
  defaultValue: z.output<S>,
): Setting<z.output<S>> {
  return { name, schema: schema as unknown as z.ZodType<z.output<S>>, default: defaultValue };
}

/** The stored value, or the default when none is stored or the stored one no longer fits the schema. */
export async function readSetting<T>(db: Db, setting: Setting<T>): Promise<T> {
  const [row] = await db.select().from(consoleSettings).where(eq(consoleSettings.name, setting.name));
  const parsed = setting.schema.safeParse(row?.value);
  return parsed.success ? parsed.data : setting.default;
}

export async function writeSetting<T>(db: Db, setting: Setting<T>, value: T, by: string): Promise<void> {
  await db
    .insert(consoleSettings)
    .values({ name: setting.name, value, updatedBy: by, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: consoleSettings.name,
      set: { value, updatedBy: by, updatedAt: new Date() },
    });
}

/** One value for one setting, as `changeSettings` takes it (undefined: left as it is). */
export type SettingChange = { setting: Setting<unknown>; value: unknown };

export function settingChange<T>(setting: Setting<T>, value: T | undefined): SettingChange | undefined {
  return value === undefined ? undefined : { setting: setting as Setting<unknown>, value };
}

/**
 * An admin's change of settings: every value written and one audit act naming them all, in one transaction. The
 * settings routes call this and nothing else.
 */
export async function changeSettings(
  db: Db,
  changes: (SettingChange | undefined)[],
  by: { actor: AuditActor; address: string | null },
): Promise<void> {
  const given = changes.filter((c): c is SettingChange => c !== undefined);
  const label = actorName(by.actor);
  await db.transaction(async (tx) => {
    for (const { setting, value } of given) await writeSetting(tx, setting, value, label);
    await recordAudit(tx, {
      actor: by.actor,
      action: "settings.change",
      outcome: "ok",
      address: by.address,
      detail: Object.fromEntries(given.map((c) => [c.setting.name, c.value])),
    });
  });
}
