import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/lib/audit/audit-log";
import { parseConfig } from "@/lib/config";
import { auditEvents, operatorSessions, operators } from "@/lib/db/schema";
import { describeError } from "@/lib/errors/describe-error";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { TEST_CREDENTIALS } from "@/lib/testing/notifications";
import {
  changeOperatorRole,
  claimFirstAdmin,
  createOperator,
  LastAdminError,
  listOperators,
  OperatorInputError,
  SANDBOX_DEMO_ADMIN,
  setOperatorDisabled,
} from "./operators";
import { ensureStartupOperators, sandboxDemoAdmin, startupOperatorsReady } from "./startup";

const system = { actor: { kind: "system" } } as const;

/** The first admin, as /setup creates it. */
const setupAdmin = (db: Parameters<typeof claimFirstAdmin>[0], email: string, name: string) =>
  claimFirstAdmin(db, { email, name, password: "long-password-1", via: "setup-page" });
const liveConfig = parseConfig({
  SKINSBACK_CLIENT_ID: TEST_CREDENTIALS.clientId,
  SKINSBACK_CLIENT_SECRET: TEST_CREDENTIALS.clientSecret,
  PGLITE_DATA_DIR: "/unused",
});
const sandboxConfig = parseConfig({ PGLITE_DATA_DIR: "/unused" });

describe.each(TEST_DATABASE_KINDS)("operators, on %s", (kind) => {
  let database: TestDatabase;
  const fresh = async () => {
    await database?.drop();
    database = await openTestDatabase(kind);
    return database.handle.db;
  };
  beforeAll(fresh);
  afterAll(() => database?.drop());

  it("two concurrent first-admin claims create exactly one admin", async () => {
    const db = await fresh();
    const claims = await Promise.all(
      [1, 2, 3].map((n) => setupAdmin(db, `first${n}@example.com`, `First ${n}`)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const all = await listOperators(db);
    expect(all).toHaveLength(1);
    expect(all[0]?.role).toBe("admin");
    expect(await setupAdmin(db, "late@example.com", "Late")).toBeUndefined();
  });

  it("live mode never creates the demo admin; sandbox mode does, once", async () => {
    const db = await fresh();
    const liveMessages = await ensureStartupOperators(db, liveConfig);
    expect(await listOperators(db)).toEqual([]);
    expect(liveMessages.join()).toMatch(/no admin yet: open .*\/setup/);
    expect(await sandboxDemoAdmin(db, liveConfig, { create: true })).toBeUndefined();
    expect(await listOperators(db)).toEqual([]);

    expect(await startupOperatorsReady(db, sandboxConfig)).toBe(false);
    await ensureStartupOperators(db, sandboxConfig);
    expect(await startupOperatorsReady(db, sandboxConfig)).toBe(true);
    await ensureStartupOperators(db, sandboxConfig);
    const all = await listOperators(db);
    expect(all.map((o) => [o.email, o.role])).toEqual([[SANDBOX_DEMO_ADMIN.email, "admin"]]);
    // The same database later started live: the demo's credentials are never shown there.
    expect(await sandboxDemoAdmin(db, liveConfig)).toBeUndefined();
    expect(await sandboxDemoAdmin(db, sandboxConfig)).toMatchObject({ email: SANDBOX_DEMO_ADMIN.email });
  });

  it("CONSOLE_ADMIN_EMAIL creates that admin in live mode, once, and /setup is then closed", async () => {
    const db = await fresh();
    const config = parseConfig({
      SKINSBACK_CLIENT_ID: TEST_CREDENTIALS.clientId,
      SKINSBACK_CLIENT_SECRET: TEST_CREDENTIALS.clientSecret,
      CONSOLE_ADMIN_EMAIL: "Boss@Example.com",
      CONSOLE_ADMIN_PASSWORD: "a-long-admin-password",
      PGLITE_DATA_DIR: "/unused",
    });
    // Health is not ready until the configured admin exists: a sign-in let through then is never refused.
    expect(await startupOperatorsReady(db, config)).toBe(false);
    await ensureStartupOperators(db, config);
    expect(await startupOperatorsReady(db, config)).toBe(true);
    await ensureStartupOperators(db, config);
    expect((await listOperators(db)).map((o) => [o.email, o.role])).toEqual([["boss@example.com", "admin"]]);
    expect(await setupAdmin(db, "x@example.com", "X")).toBeUndefined();
  });

  it("never leaves the console without an active admin, even when two admins demote each other at once", async () => {
    const db = await fresh();
    const a = await setupAdmin(db, "a@example.com", "A");
    const b = await createOperator(
      db,
      { email: "b@example.com", name: "B", role: "admin", password: "long-password-2" },
      system,
    );
    if (!a) throw new Error("no first admin");
    const results = await Promise.allSettled([
      changeOperatorRole(db, a.id, "viewer", system),
      changeOperatorRole(db, b.id, "viewer", system),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(LastAdminError);
    const admins = (await listOperators(db)).filter((o) => o.role === "admin" && !o.disabledAt);
    expect(admins).toHaveLength(1);
    await expect(setOperatorDisabled(db, admins[0]?.id as string, true, system)).rejects.toThrow(
      LastAdminError,
    );
    await expect(
      createOperator(
        db,
        { email: "A@example.com", name: "A again", role: "viewer", password: "long-password-3" },
        system,
      ),
    ).rejects.toThrow(OperatorInputError);
  });

  it("disabling an operator ends every one of their sessions in the same transaction", async () => {
    const db = await fresh();
    await setupAdmin(db, "admin@example.com", "Admin");
    const viewer = await createOperator(
      db,
      { email: "v@example.com", name: "V", role: "viewer", password: "long-password-2" },
      system,
    );
    const expiresAt = new Date(Date.now() + 3_600_000);
    await db.insert(operatorSessions).values([
      { id: "s1", token: "t1", userId: viewer.id, expiresAt },
      { id: "s2", token: "t2", userId: viewer.id, expiresAt },
    ]);
    const disabled = await setOperatorDisabled(db, viewer.id, true, system);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await db.select().from(operatorSessions).where(eq(operatorSessions.userId, viewer.id))).toEqual(
      [],
    );
    const { events } = await listAuditEvents(db, { limit: 10, action: "operator.disable" });
    expect(events[0]).toMatchObject({ targetId: viewer.id, outcome: "ok", detail: { endedSessions: 2 } });
    const [row] = await db.select().from(operators).where(eq(operators.id, viewer.id));
    expect(row?.disabledAt).not.toBeNull();
  });

  it("the audit table refuses UPDATE, DELETE and TRUNCATE from plain SQL", async () => {
    const db = await fresh();
    await setupAdmin(db, "admin@example.com", "Admin");
    const before = await db.select().from(auditEvents);
    expect(before.length).toBeGreaterThan(0);
    for (const statement of [
      sql`update audit_events set outcome = 'failed'`,
      sql`delete from audit_events`,
      sql`truncate audit_events`,
    ]) {
      const refusal = await db.execute(statement).then(
        () => "accepted",
        (error) => describeError(error),
      );
      expect(refusal).toMatch(/audit_events is append-only/);
    }
    expect(await db.select().from(auditEvents)).toEqual(before);
  });
});
