import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { sandboxSettings } from "./schema";

/** Fault switches for tests and demos, and the live-traffic switch. Stored, so every instance sees them. */
export const sandboxSwitchesSchema = z.object({
  /** Extra delay before each notification is sent. */
  delayMs: z.number().int().min(0).max(600_000).default(0),
  /** Send every notification twice. */
  duplicate: z.boolean().default(false),
  /** Hold back each notification of a status that is followed by another, so the later one arrives first. */
  outOfOrder: z.boolean().default(false),
  encoding: z.enum(["json", "form"]).default("json"),
  /** Send notifications to an endpoint that answers 500, so they land in callback_error_list. */
  failResultUrl: z.boolean().default(false),
  /** Every API call answers -9 under_maintenance. */
  maintenance: z.boolean().default(false),
  /** A new deposit every few seconds. */
  liveTraffic: z.boolean().default(false),
});
export type SandboxSwitches = z.infer<typeof sandboxSwitchesSchema>;

const KEY = "switches";

export async function readSwitches(db: Db): Promise<SandboxSwitches> {
  const [row] = await db.select().from(sandboxSettings).where(eq(sandboxSettings.key, KEY));
  return sandboxSwitchesSchema.parse(row?.value ?? {});
}

export async function updateSwitches(db: Db, patch: Partial<SandboxSwitches>): Promise<SandboxSwitches> {
  const next = sandboxSwitchesSchema.parse({ ...(await readSwitches(db)), ...patch });
  await db
    .insert(sandboxSettings)
    .values({ key: KEY, value: next })
    .onConflictDoUpdate({ target: sandboxSettings.key, set: { value: next } });
  return next;
}

export async function readMarker(db: Db, key: string): Promise<unknown> {
  const [row] = await db.select().from(sandboxSettings).where(eq(sandboxSettings.key, key));
  return row?.value;
}

/** Sets a marker once; false when another instance already set it. */
export async function claimMarker(db: Db, key: string, value: unknown): Promise<boolean> {
  const inserted = await db
    .insert(sandboxSettings)
    .values({ key, value })
    .onConflictDoNothing()
    .returning({ key: sandboxSettings.key });
  return inserted.length === 1;
}
