import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/client";
import { apiKeys, auditEvents } from "@/lib/db/schema";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "./api-keys";
import { claimFirstAdmin, createOperator, setOperatorDisabled } from "./operators";

const admin = {
  actor: { kind: "operator", id: "admin-1", email: "admin@example.test" } as const,
  address: "127.0.0.2",
};

describe("API keys, two instances on one PostgreSQL", () => {
  let database: TestDatabase;
  let other: ReturnType<typeof openPostgres>;
  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    other = openPostgres(database.url as string, { maxConnections: 2, connectTimeoutSeconds: 10 });
  });
  afterAll(async () => {
    await other?.close();
    await database?.drop();
  });

  it("shown once, stored hashed, scoped; a revocation on one instance holds on the other at its next request", async () => {
    const db = database.handle.db;
    const { key, apiKey } = await createApiKey(
      db,
      { name: "game backend", scopes: ["events:read", "events:read"] },
      admin,
    );
    expect(key).toMatch(/^sbc_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.scopes).toEqual(["events:read"]);
    const [stored] = await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(JSON.stringify(stored)).not.toContain(key.slice(4));
    expect(stored?.prefix).toBe(key.slice(0, 12));
    expect(JSON.stringify(await listApiKeys(db))).not.toContain(stored?.keyHash);

    // The other instance accepts it, and notes where it was used.
    const now = new Date();
    expect(await verifyApiKey(other.db, key, "10.0.0.9", now)).toEqual({
      id: apiKey.id,
      name: "game backend",
      scopes: ["events:read"],
    });
    const [used] = await db.select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(used?.lastUsedAddress).toBe("10.0.0.9");
    expect(await verifyApiKey(other.db, `${key.slice(0, -1)}x`, null)).toBeNull();
    expect(await verifyApiKey(other.db, "not-a-key", null)).toBeNull();

    await revokeApiKey(db, apiKey.id, admin);
    expect(await verifyApiKey(other.db, key, "10.0.0.9")).toBeNull();
    const again = await revokeApiKey(db, apiKey.id, admin); // a second click: no error, no second audit row
    expect(again.revokedAt).not.toBeNull();
    const acts = (await db.select().from(auditEvents)).map((a) => a.action);
    expect(acts.filter((a) => a === "api-key.create")).toHaveLength(1);
    expect(acts.filter((a) => a === "api-key.revoke")).toHaveLength(1);
  });
});

describe("API keys when the admin who made them is disabled", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
  });
  afterAll(() => database?.drop());

  it("keep working unless the disabling admin chooses to revoke them; then every key that admin made stops", async () => {
    const db = database.handle.db;
    const first = await claimFirstAdmin(db, {
      email: "first@example.test",
      name: "First",
      password: "first-password-1",
      via: "setup-page",
    });
    const by = {
      actor: { kind: "operator", id: first?.id ?? "x", email: "first@example.test" } as const,
      address: null,
    };
    const leaving = await createOperator(
      db,
      { email: "leaving@example.test", name: "Leaving", password: "leaving-password-1", role: "admin" },
      by,
    );
    const as = { actor: { kind: "operator", id: leaving.id, email: leaving.email } as const, address: null };
    const kept = await createApiKey(db, { name: "kept", scopes: ["events:read"] }, as);
    const revoked = await createApiKey(db, { name: "revoked", scopes: ["deposits:read"] }, as);
    const theirs = await createApiKey(db, { name: "someone else's", scopes: ["events:read"] }, by);

    await setOperatorDisabled(db, leaving.id, true, by);
    expect(await verifyApiKey(db, kept.key, null)).not.toBeNull();
    await setOperatorDisabled(db, leaving.id, false, by);
    await setOperatorDisabled(db, leaving.id, true, by, { revokeApiKeys: true });
    expect(await verifyApiKey(db, kept.key, null)).toBeNull();
    expect(await verifyApiKey(db, revoked.key, null)).toBeNull();
    expect(await verifyApiKey(db, theirs.key, null)).not.toBeNull();
    const disable = (await db.select().from(auditEvents))
      .filter((a) => a.action === "operator.disable")
      .at(-1);
    expect(disable?.detail).toMatchObject({ revokedApiKeys: 2 });
  });
});
