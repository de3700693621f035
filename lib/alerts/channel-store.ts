import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { type AlertChannel, alertChannels } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { newSigningSecret } from "@/lib/forwarding/secrets";
import {
  type ChannelView,
  channelInputSchema,
  channelProblem,
  channelView,
  sendAlert,
  storedChannel,
} from "./channels";

/** Alert channels as admins keep them (Settings → Alerts), and those the environment configures. */

const name = z
  .string()
  .trim()
  .min(1, "give the channel a name")
  .max(80, "at most 80 characters")
  .refine((v) => !v.startsWith("environment-"), "names starting with environment- are the configuration's");

export const createChannelSchema = z.strictObject({
  name,
  channel: channelInputSchema,
  allowPrivateNetwork: z.boolean().default(false),
});
export const testChannelSchema = z.strictObject({
  channel: channelInputSchema,
  allowPrivateNetwork: z.boolean().default(false),
});
export const updateChannelSchema = z.strictObject({
  id: z.number().int().positive(),
  enabled: z.boolean().optional(),
  name: name.optional(),
});
export const deleteChannelSchema = z.strictObject({ id: z.number().int().positive() });

type By = { actor: AuditActor; label: string; address: string | null };

export async function listChannels(db: Db): Promise<ChannelView[]> {
  const rows = await db.select().from(alertChannels).orderBy(asc(alertChannels.id));
  return rows.map(channelView);
}

/**
 * A test message sent now, to a channel not saved yet, so an admin sees it arrive before saving. A JSON
 * webhook without a secret gets one here; the answer carries it (shown once) and the save sends it back.
 */
export async function testChannel(
  db: Db,
  input: z.infer<typeof testChannelSchema>,
  by: By,
  config: AppConfig,
): Promise<{ ok: true; secret?: string } | { ok: false; error: string }> {
  const generated =
    input.channel.kind === "webhook" && !input.channel.secret ? newSigningSecret() : undefined;
  const { target, secret } = storedChannel(input.channel, () => generated as string);
  const allowInternal = config.forwarding.allowPrivateNetworks || input.allowPrivateNetwork;
  const result = await sendAlert(
    { kind: input.channel.kind, target, secret, name: "test" },
    {
      messageId: 0,
      kind: "test",
      title: "Test from the SkinsBack console",
      text: `${by.label} is setting up this channel. Alerts about deposits, notifications and forwarding will arrive here.`,
      link: `${config.appOrigin}/alerts`,
      incident: null,
      createdAt: new Date(),
    },
    { allowInternal },
  );
  await recordAudit(db, {
    actor: by.actor,
    action: "alert.channel-test",
    outcome: result.ok ? "ok" : "failed",
    address: by.address,
    detail: { kind: input.channel.kind, ...(result.ok ? {} : { error: result.error }) },
  });
  return result.ok
    ? { ok: true, ...(generated ? { secret: generated } : {}) }
    : { ok: false, error: result.error };
}

export async function createChannel(
  db: Db,
  input: z.infer<typeof createChannelSchema>,
  by: By,
  config: AppConfig,
): Promise<{ channel: ChannelView; secret?: string }> {
  const generated =
    input.channel.kind === "webhook" && !input.channel.secret ? newSigningSecret() : undefined;
  const { target, secret } = storedChannel(input.channel, () => generated as string);
  const problem = await channelProblem(
    input.channel.kind,
    target,
    secret,
    config.forwarding.allowPrivateNetworks || input.allowPrivateNetwork,
  );
  if (problem) {
    throw new AppError("bad_request", `The channel's address ${problem}.`, {
      details: { issues: [`channel: its address ${problem}`] },
    });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alertChannels)
      .values({
        name: input.name,
        kind: input.channel.kind,
        target,
        secret,
        allowPrivateNetwork: input.allowPrivateNetwork,
        createdBy: by.label,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError("conflict", `A channel named "${input.name}" exists already.`);
    await recordAudit(tx, {
      actor: by.actor,
      action: "alert.channel-create",
      outcome: "ok",
      target: { type: "alert-channel", id: String(row.id) },
      address: by.address,
      detail: { name: row.name, kind: row.kind },
    });
    return { channel: channelView(row), ...(generated ? { secret: generated } : {}) };
  });
}

export async function updateChannel(
  db: Db,
  input: z.infer<typeof updateChannelSchema>,
  by: By,
): Promise<ChannelView> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(alertChannels).where(eq(alertChannels.id, input.id));
    if (!existing) throw new AppError("not_found", "No such channel.");
    if (existing.source === "environment" && input.name !== undefined)
      throw new AppError(
        "conflict",
        "This channel comes from the configuration (CONSOLE_ALERT_*): rename it there.",
      );
    const [row] = await tx
      .update(alertChannels)
      .set({
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.name ? { name: input.name } : {}),
      })
      .where(eq(alertChannels.id, input.id))
      .returning();
    await recordAudit(tx, {
      actor: by.actor,
      action: "alert.channel-update",
      outcome: "ok",
      target: { type: "alert-channel", id: String(input.id) },
      address: by.address,
      detail: { enabled: input.enabled, name: input.name },
    });
    return channelView(row as AlertChannel);
  });
}

export async function deleteChannel(db: Db, id: number, by: By): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(alertChannels).where(eq(alertChannels.id, id)).returning();
    if (!row) throw new AppError("not_found", "No such channel.");
    await recordAudit(tx, {
      actor: by.actor,
      action: "alert.channel-delete",
      outcome: "ok",
      target: { type: "alert-channel", id: String(id) },
      address: by.address,
      detail: { name: row.name, kind: row.kind },
    });
  });
}

/**
 * The channels CONSOLE_ALERT_WEBHOOK_URL and CONSOLE_ALERT_SMTP_URL configure, created or updated at start under
 * fixed names; one the configuration no longer names is turned off (its history stays).
 */
export async function ensureEnvironmentChannels(db: Db, config: AppConfig): Promise<string[]> {
  const said: string[] = [];
  const wanted: {
    name: string;
    kind: AlertChannel["kind"];
    target: Record<string, string>;
    secret: string;
  }[] = [];
  const { environmentWebhook, environmentEmail } = config.alerts;
  if (environmentWebhook)
    wanted.push({
      name: "environment-webhook",
      kind: "webhook",
      target: { url: environmentWebhook.url },
      secret: environmentWebhook.secret,
    });
  if (environmentEmail)
    wanted.push({
      name: "environment-email",
      kind: "email",
      target: {
        to: environmentEmail.to.join(", "),
        ...(environmentEmail.from ? { from: environmentEmail.from } : {}),
      },
      secret: environmentEmail.smtpUrl,
    });
  for (const channel of wanted) {
    await db
      .insert(alertChannels)
      .values({ ...channel, source: "environment", createdBy: "configuration" })
      .onConflictDoUpdate({
        target: alertChannels.name,
        set: {
          kind: channel.kind,
          target: channel.target,
          secret: channel.secret,
          enabled: true,
          source: "environment",
        },
      });
    said.push(`alert channel ${channel.name} (${channel.kind}) from the configuration`);
  }
  for (const stale of ["environment-webhook", "environment-email"]) {
    if (wanted.some((w) => w.name === stale)) continue;
    const off = await db
      .update(alertChannels)
      .set({ enabled: false })
      .where(eq(alertChannels.name, stale))
      .returning({ id: alertChannels.id });
    if (off.length) said.push(`alert channel ${stale} turned off: the configuration no longer names it`);
  }
  return said;
}
