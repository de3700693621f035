import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { AppConfig } from "@/lib/config";
import { isStandardWebhookSecret } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import {
  FORWARD_FORMATS,
  type ForwardEndpoint,
  forwardEndpoints,
  SKINSBACK_ENCODINGS,
} from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { DEPOSIT_EVENT_TYPES } from "./event-types";
import { targetProblem } from "./network-guard";
import { newId, newSigningSecret, ROTATION_OVERLAP_MS } from "./secrets";

/**
 * Forwarding endpoints: made and changed by admins (/settings/forwarding), or from the environment
 * (CONSOLE_FORWARD_URL, the endpoint named `default`), or in sandbox mode the built-in demo receiver. A secret is
 * shown once, when it is made; afterwards only its first characters.
 */

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !v.includes("\u0000"), "must not contain NUL");

export const endpointInputSchema = z.strictObject({
  name: text(64).pipe(z.string().min(1, "is required")),
  url: text(2000).pipe(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })),
  description: text(500).default(""),
  format: z.enum(FORWARD_FORMATS).default("standard"),
  eventTypes: z.array(z.enum(DEPOSIT_EVENT_TYPES)).max(DEPOSIT_EVENT_TYPES.length).default([]),
  allowPrivateNetwork: z.boolean().default(false),
  /** The skinsback format's secret; empty: the project's client secret. */
  skinsbackSecret: text(200).optional(),
  skinsbackEncoding: z.enum(SKINSBACK_ENCODINGS).default("json"),
  concurrency: z.number().int().min(1).max(64).default(8),
});
export type EndpointInput = z.infer<typeof endpointInputSchema>;
export const endpointPatchSchema = endpointInputSchema.partial();

/** What the screens show of an endpoint: never a secret, only its first characters. */
export type EndpointView = Omit<ForwardEndpoint, "secret" | "previousSecret" | "skinsbackSecret"> & {
  secretHint: string;
  rotating: boolean;
  hasSkinsbackSecret: boolean;
};

export function endpointView(e: ForwardEndpoint, now = new Date()): EndpointView {
  const { secret, previousSecret, skinsbackSecret, ...rest } = e;
  return {
    ...rest,
    secretHint: `${secret.slice(0, 10)}…`,
    rotating: previousSecret !== null && e.previousSecretUntil !== null && e.previousSecretUntil > now,
    hasSkinsbackSecret: skinsbackSecret !== null,
  };
}

async function checkUrl(url: string, allowInternal: boolean, config: Pick<AppConfig, "forwarding">) {
  const problem = await targetProblem(new URL(url), allowInternal || config.forwarding.allowPrivateNetworks);
  if (problem) {
    throw new AppError("bad_request", `url ${problem}`, {
      details: { issues: [`url: ${problem}`] },
    });
  }
}

export async function listEndpoints(db: Db): Promise<ForwardEndpoint[]> {
  return db
    .select()
    .from(forwardEndpoints)
    .orderBy(asc(forwardEndpoints.createdAt), asc(forwardEndpoints.id));
}

export async function getEndpoint(db: Db, id: string): Promise<ForwardEndpoint> {
  const [row] = await db.select().from(forwardEndpoints).where(eq(forwardEndpoints.id, id));
  if (!row) throw new AppError("not_found", "no such endpoint");
  return row;
}

function nameTaken(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e.code === "23505" || e.cause?.code === "23505";
}

export async function createEndpoint(
  db: Db,
  config: Pick<AppConfig, "forwarding">,
  input: EndpointInput,
  who: { actor: AuditActor; address: string | null },
): Promise<{ endpoint: EndpointView; secret: string }> {
  await checkUrl(input.url, input.allowPrivateNetwork, config);
  const secret = newSigningSecret();
  try {
    const endpoint = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(forwardEndpoints)
        .values({ id: newId("ep"), ...input, skinsbackSecret: input.skinsbackSecret || null, secret })
        .returning();
      if (!row) throw new Error("endpoint insert returned nothing");
      await recordAudit(tx as Db, {
        actor: who.actor,
        action: "forwarding.endpoint-create",
        outcome: "ok",
        target: { type: "forward-endpoint", id: row.id },
        address: who.address,
        detail: { name: row.name, url: row.url, format: row.format, eventTypes: row.eventTypes },
      });
      return row;
    });
    return { endpoint: endpointView(endpoint), secret };
  } catch (error) {
    if (nameTaken(error))
      throw new AppError("conflict", `an endpoint named ${JSON.stringify(input.name)} exists`);
    throw error;
  }
}

export async function updateEndpoint(
  db: Db,
  config: Pick<AppConfig, "forwarding">,
  id: string,
  patch: z.infer<typeof endpointPatchSchema>,
  who: { actor: AuditActor; address: string | null },
): Promise<EndpointView> {
  const current = await getEndpoint(db, id);
  if (patch.url !== undefined || patch.allowPrivateNetwork !== undefined) {
    await checkUrl(
      patch.url ?? current.url,
      patch.allowPrivateNetwork ?? current.allowPrivateNetwork,
      config,
    );
  }
  const { skinsbackSecret, ...rest } = patch;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(forwardEndpoints)
        .set({
          ...rest,
          ...(skinsbackSecret !== undefined && { skinsbackSecret: skinsbackSecret || null }),
          updatedAt: new Date(),
        })
        .where(eq(forwardEndpoints.id, id))
        .returning();
      if (!row) throw new AppError("not_found", "no such endpoint");
      await recordAudit(tx as Db, {
        actor: who.actor,
        action: "forwarding.endpoint-update",
        outcome: "ok",
        target: { type: "forward-endpoint", id },
        address: who.address,
        detail: {
          changed: Object.keys(patch).filter((k) => k !== "skinsbackSecret" || skinsbackSecret !== undefined),
        },
      });
      return endpointView(row);
    });
  } catch (error) {
    if (nameTaken(error))
      throw new AppError("conflict", `an endpoint named ${JSON.stringify(patch.name)} exists`);
    throw error;
  }
}

type Who = { actor: AuditActor; address: string | null };

/**
 * One change of an endpoint under its row lock, with its audit row, in one transaction. `change` sees the row
 * as it is and returns the new values and the audit's detail, or null for "nothing to do" (a double click).
 */
async function changeEndpoint(
  db: Db,
  id: string,
  who: Who,
  action: "forwarding.endpoint-state" | "forwarding.rotate-secret",
  change: (
    before: ForwardEndpoint,
  ) => { values: Partial<typeof forwardEndpoints.$inferInsert>; detail: Record<string, unknown> } | null,
): Promise<ForwardEndpoint> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(forwardEndpoints)
      .where(eq(forwardEndpoints.id, id))
      .for("update");
    if (!before) throw new AppError("not_found", "no such endpoint");
    const planned = change(before);
    if (!planned) return before;
    const [row] = await tx
      .update(forwardEndpoints)
      .set(planned.values)
      .where(eq(forwardEndpoints.id, id))
      .returning();
    if (!row) throw new AppError("not_found", "no such endpoint");
    await recordAudit(tx as Db, {
      actor: who.actor,
      action,
      outcome: "ok",
      target: { type: "forward-endpoint", id },
      address: who.address,
      detail: planned.detail,
    });
    return row;
  });
}

/**
 * Pause or enable. Enabling clears what disabled it (a 410, five failing days); its waiting messages go out in
 * order from the oldest. The same state twice is a no-op, not an error (a double click).
 */
export async function setEndpointState(
  db: Db,
  id: string,
  state: "enabled" | "paused",
  who: Who,
): Promise<EndpointView> {
  const row = await changeEndpoint(db, id, who, "forwarding.endpoint-state", (before) =>
    before.state === state
      ? null
      : {
          values: {
            state,
            stateReason: state === "paused" ? "paused by an operator" : null,
            failingSince: null,
            updatedAt: new Date(),
          },
          detail: { from: before.state, to: state, reason: before.stateReason },
        },
  );
  return endpointView(row);
}

/**
 * A new secret, shown once; the old one keeps signing beside it for 24 hours (both in `webhook-signature`), so
 * the merchant can deploy the new one without a gap. A rotation during an overlap ends the older overlap.
 */
export async function rotateSecret(
  db: Db,
  id: string,
  who: Who,
  now = new Date(),
): Promise<{ endpoint: EndpointView; secret: string }> {
  const secret = newSigningSecret();
  const until = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  const row = await changeEndpoint(db, id, who, "forwarding.rotate-secret", (before) => ({
    values: { secret, previousSecret: before.secret, previousSecretUntil: until, updatedAt: now },
    detail: { previousSignsUntil: until.toISOString() },
  }));
  return { endpoint: endpointView(row, now), secret };
}

export const ENVIRONMENT_ENDPOINT_NAME = "default";
export const SANDBOX_ENDPOINT_NAME = "demo receiver";

/**
 * CONSOLE_FORWARD_URL at start: creates or updates the endpoint named `default` (URL, secret, format), so a
 * deployment configured by files needs no click. Its URL is checked like any other.
 */
export async function ensureEnvironmentEndpoint(
  db: Db,
  config: Pick<AppConfig, "forwarding">,
): Promise<string | undefined> {
  const wanted = config.forwarding.environmentEndpoint;
  if (!wanted) return undefined;
  await checkUrl(wanted.url, false, config);
  const standardSecret =
    wanted.format === "standard" && wanted.secret && isStandardWebhookSecret(wanted.secret)
      ? wanted.secret
      : newSigningSecret();
  const values = {
    url: wanted.url,
    format: wanted.format,
    secret: standardSecret,
    skinsbackSecret: wanted.format === "skinsback" ? (wanted.secret ?? null) : null,
    origin: "environment",
  };
  await db
    .insert(forwardEndpoints)
    .values({
      id: newId("ep"),
      name: ENVIRONMENT_ENDPOINT_NAME,
      description: "from CONSOLE_FORWARD_URL",
      ...values,
    })
    .onConflictDoUpdate({
      target: forwardEndpoints.name,
      set: { ...values, updatedAt: new Date() },
      where: sql`${forwardEndpoints.url} is distinct from excluded.url
        or ${forwardEndpoints.secret} is distinct from excluded.secret
        or ${forwardEndpoints.format} is distinct from excluded.format
        or ${forwardEndpoints.skinsbackSecret} is distinct from excluded.skinsback_secret`,
    });
  return `forwarding to ${new URL(wanted.url).origin} (endpoint "${ENVIRONMENT_ENDPOINT_NAME}", ${wanted.format})`;
}

/** Sandbox mode: the demo receiver (app/sandbox/merchant) is an endpoint from the first start, once. */
export async function ensureSandboxEndpoint(db: Db, appOrigin: string): Promise<void> {
  await db
    .insert(forwardEndpoints)
    .values({
      id: newId("ep"),
      name: SANDBOX_ENDPOINT_NAME,
      url: `${appOrigin}/sandbox/merchant`,
      description:
        "The sandbox's stand-in for your backend: verifies each message; slow or failing when switched",
      format: "standard",
      allowPrivateNetwork: true,
      secret: newSigningSecret(),
      origin: "sandbox",
    })
    .onConflictDoNothing();
}

/** The demo receiver's secret, for it to verify what it receives. */
export async function sandboxEndpointSecrets(db: Db): Promise<string[]> {
  const [row] = await db
    .select()
    .from(forwardEndpoints)
    .where(and(eq(forwardEndpoints.origin, "sandbox"), eq(forwardEndpoints.name, SANDBOX_ENDPOINT_NAME)));
  if (!row) return [];
  return row.previousSecret ? [row.secret, row.previousSecret] : [row.secret];
}
