import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, actorName, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { type ApiKey, apiKeys } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/lib/security/api-key-scopes";

/**
 * API keys for machines: `sbc_` and 43 characters of base64url (32 random bytes). Only the SHA-256 is stored —
 * a key is as random as a hash output, so a slow password hash would add nothing — and it is looked up on every
 * request, so a revocation holds on every instance at the next request. CONSOLE_API_KEY stays as the bootstrap
 * key with every scope (lib/route/with-route.ts).
 */

export const apiKeyInputSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "is required")
    .max(64, "must be at most 64 characters")
    .refine((v) => !v.includes("\u0000"), "must not contain NUL"),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, "pick at least one scope"),
});

const hashOf = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");
const KEY_PATTERN = /^sbc_[A-Za-z0-9_-]{43}$/;
/** A key's use is written at most once a minute, so a busy feed reader does not write on every request. */
const LAST_USED_EVERY_MS = 60_000;

export type ApiKeyView = Omit<ApiKey, "keyHash">;

export function apiKeyView(key: ApiKey): ApiKeyView {
  const { keyHash: _hash, ...rest } = key;
  return rest;
}

export async function createApiKey(
  db: Db,
  input: z.infer<typeof apiKeyInputSchema>,
  who: { actor: AuditActor; address: string | null },
): Promise<{ key: string; apiKey: ApiKeyView }> {
  const key = `sbc_${randomBytes(32).toString("base64url")}`;
  const creator = actorName(who.actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id: `key_${randomBytes(8).toString("hex")}`,
        name: input.name,
        prefix: key.slice(0, 12),
        keyHash: hashOf(key),
        scopes: [...new Set(input.scopes)],
        createdBy: creator,
      })
      .returning();
    if (!row) throw new Error("api key insert returned nothing");
    await recordAudit(tx as Db, {
      actor: who.actor,
      action: "api-key.create",
      outcome: "ok",
      target: { type: "api-key", id: row.id },
      address: who.address,
      detail: { name: row.name, prefix: row.prefix, scopes: row.scopes },
    });
    return { key, apiKey: apiKeyView(row) };
  });
}

export async function listApiKeys(db: Db): Promise<ApiKeyView[]> {
  return (await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt))).map(apiKeyView);
}

/** Revokes at once; a second revoke is a no-op that says when it happened. */
export async function revokeApiKey(
  db: Db,
  id: string,
  who: { actor: AuditActor; address: string | null },
): Promise<ApiKeyView> {
  const by = actorName(who.actor);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date(), revokedBy: by })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id));
      if (!existing) throw new AppError("not_found", "no such API key");
      return apiKeyView(existing);
    }
    await recordAudit(tx as Db, {
      actor: who.actor,
      action: "api-key.revoke",
      outcome: "ok",
      target: { type: "api-key", id },
      address: who.address,
      detail: { name: row.name, prefix: row.prefix },
    });
    return apiKeyView(row);
  });
}

export type VerifiedApiKey = { id: string; name: string; scopes: ApiKeyScope[] };

/** The live key `token` names, or null (unknown, malformed or revoked). Notes its use (time, address). */
export async function verifyApiKey(
  db: Db,
  token: string,
  address: string | null,
  now = new Date(),
): Promise<VerifiedApiKey | null> {
  if (!KEY_PATTERN.test(token)) return null;
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashOf(token)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now, lastUsedAddress: address })
      .where(
        and(
          eq(apiKeys.id, row.id),
          sql`(${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} <= ${new Date(now.getTime() - LAST_USED_EVERY_MS).toISOString()}::timestamptz)`,
        ),
      );
  }
  return { id: row.id, name: row.name, scopes: row.scopes };
}
