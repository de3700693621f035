import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { sandboxSettings } from "./schema";

/** Fault switches for tests and demos, and the live-traffic switch. Stored, so every instance sees them. */
const switchFields = z.object({
  /** Extra delay before each notification is sent. */
  delayMs: z.number().int().min(0).max(600_000),
  /** Send every notification twice. */
  duplicate: z.boolean(),
  /** Hold back each notification of a status that is followed by another, so the later one arrives first. */
  outOfOrder: z.boolean(),
  encoding: z.enum(["json", "form"]),
  /** Send notifications to an endpoint that answers 500, so they land in callback_error_list. */
  failResultUrl: z.boolean(),
  /** Every API call answers -9 under_maintenance. */
  maintenance: z.boolean(),
  /** New deposits keep coming, at the pace of the seeded history (`livePaceMs`): the charts stay true. */
  liveTraffic: z.boolean(),
  /** Live traffic at demo pace instead: a deposit every few seconds, to watch things move. */
  fastLiveTraffic: z.boolean(),
  /**
   * SkinsBack stops sending: notifications wait in its queue (nothing reaches the Result URL) and go out, in
   * order, when the switch is turned off. What the silence alarm is for.
   */
  holdNotifications: z.boolean(),
  /**
   * The demo receiver (the merchant's backend in sandbox mode): `realistic` answers most messages at once, a few
   * slowly and about one in twelve with a 500; `healthy` answers every one at once; `failing` answers 500.
   */
  merchantReceiver: z.enum(["realistic", "healthy", "failing"]),
  /**
   * A proxy in front of the console swallows about a third of the notifications: SkinsBack counts them as
   * delivered and never lists them in callback_error_list. Only reconciliation with `orders` finds them.
   */
  silentLoss: z.boolean(),
  /** SkinsBack changes about a third of the statuses without notifying at all (the watchdogs' and reconciliation's case). */
  drift: z.boolean(),
});
export type SandboxSwitches = z.infer<typeof switchFields>;

export const DEFAULT_SWITCHES: SandboxSwitches = {
  delayMs: 0,
  duplicate: false,
  outOfOrder: false,
  encoding: "json",
  failResultUrl: false,
  maintenance: false,
  liveTraffic: false,
  fastLiveTraffic: false,
  holdNotifications: false,
  merchantReceiver: "realistic",
  silentLoss: false,
  drift: false,
};

/** Demo pace: one live deposit this often. */
export const FAST_LIVE_EVERY_MS = 4_000;

/**
 * How often a live deposit comes: at the pace of the seeded history (its ~90 days hold `seedDeposits`), so an hour
 * of live traffic looks like an hour of the past on the overview's charts; at demo pace when that switch is on.
 */
export function livePaceMs(switches: Pick<SandboxSwitches, "fastLiveTraffic">, seedDeposits: number): number {
  if (switches.fastLiveTraffic || seedDeposits <= 0) return FAST_LIVE_EVERY_MS;
  return Math.max(FAST_LIVE_EVERY_MS, Math.round((SEEDED_DAYS * 86_400_000) / seedDeposits));
}

/** How many days the seeded history spans. */
export const SEEDED_DAYS = 90;

/** The share of notifications silent loss swallows, and of status changes drift makes without one. */
export const HIDDEN_CHANGE_SHARE = 1 / 3;

/**
 * Whether silent loss or drift hides this one: drawn from the seed (a notification's or a deposit step's id), so
 * a test and a rerun see the same ones hidden.
 */
export function isHidden(seed: number): boolean {
  let t = (seed ^ 0x9e3779b9) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
  t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296 < HIDDEN_CHANGE_SHARE;
}

/**
 * A change names only the switches it changes; nothing is defaulted in it (zod 4 applies `.default()` even
 * inside `.partial()`, which once made `{ duplicate: true }` reset every other switch).
 */
export const sandboxSwitchesPatchSchema = switchFields.partial().strict();
export type SandboxSwitchesPatch = z.infer<typeof sandboxSwitchesPatchSchema>;

/** The stored switches, with defaults for those never set. */
const storedSwitchesSchema = switchFields
  .partial()
  .transform((stored): SandboxSwitches => ({ ...DEFAULT_SWITCHES, ...stored }));

const KEY = "switches";

export async function readSwitches(db: Db): Promise<SandboxSwitches> {
  const [row] = await db.select().from(sandboxSettings).where(eq(sandboxSettings.key, KEY));
  return storedSwitchesSchema.parse(row?.value ?? {});
}

/**
 * Merges `patch` into the stored switches in one statement (jsonb `||`), so two changes made at once (two
 * toggles clicked quickly, two instances) both survive; a switch the patch does not name keeps its value.
 */
export async function updateSwitches(db: Db, patch: SandboxSwitchesPatch): Promise<SandboxSwitches> {
  const changes = sandboxSwitchesPatchSchema.parse(patch);
  const [row] = await db
    .insert(sandboxSettings)
    .values({ key: KEY, value: changes })
    .onConflictDoUpdate({
      target: sandboxSettings.key,
      set: { value: sql`${sandboxSettings.value} || excluded.value` },
    })
    .returning({ value: sandboxSettings.value });
  return storedSwitchesSchema.parse(row?.value ?? {});
}

/** An operator's change of the switches: written and audited (`sandbox.switch`, what changed) in one transaction. */
export async function changeSwitches(
  db: Db,
  patch: SandboxSwitchesPatch,
  by: { actor: AuditActor; address: string | null },
): Promise<SandboxSwitches> {
  return db.transaction(async (tx) => {
    const switches = await updateSwitches(tx as Db, patch);
    await recordAudit(tx as Db, {
      actor: by.actor,
      action: "sandbox.switch",
      outcome: "ok",
      address: by.address,
      detail: sandboxSwitchesPatchSchema.parse(patch),
    });
    return switches;
  });
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
