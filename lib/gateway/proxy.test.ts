import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/lib/audit/audit-log";
import { apiCalls } from "@/lib/db/schema";
import { updateSwitches } from "@/lib/sandbox/switches";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { handleProxyRequest, type ProxyDeps } from "./proxy";

const CALLER = {
  actor: { kind: "operator", id: "op-1", email: "ops@example.com" },
  address: "127.0.0.9",
} as const;

describe("POST /api/skinsback/[method] (signed proxy)", () => {
  let consoleDb: TestDatabase;
  let sandboxDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  let deps: ProxyDeps;

  const proxy = (method: string, body?: unknown, options: { deps?: Partial<ProxyDeps> } = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const request = new Request(`http://127.0.0.1/api/skinsback/${method}`, {
      method: "POST",
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return handleProxyRequest({ ...deps, ...options.deps }, method, request, CALLER);
  };

  beforeAll(async () => {
    [consoleDb, sandboxDb] = await Promise.all([openTestDatabase("pglite"), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
    deps = {
      db: consoleDb.handle.db,
      gateway: { apiUrl: harness.apiUrl, ...SANDBOX_TEST_CREDENTIALS, timeoutMs: 2_000 },
    };
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([consoleDb?.drop(), sandboxDb?.drop()]);
  });

  it("reads at most 32 KB of parameters: a larger body is 413 and nothing is sent", async () => {
    const response = await proxy("orderstatus", JSON.stringify({ order_id: "x".repeat(40_000) }));
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatch(/at most 32768 bytes/);
  });

  it("signs and sends server-side, answering the method's result", async () => {
    const response = await proxy("create", {
      order_id: "proxy-1",
      steam_id: "76561198000000099",
      trade_token: "Secr3tTok",
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(body.result.transaction_id).toMatch(/^\d+$/);
    const status = await (await proxy("orderstatus", { order_id: "proxy-1" })).json();
    expect(status.result).toMatchObject({ status: "pending", order_id: "proxy-1" });
  });

  it("audits every write with its caller and outcome; reads are not audited", async () => {
    const before = await listAuditEvents(consoleDb.handle.db, { limit: 200 });
    await proxy("balance", {});
    await proxy("create", {
      order_id: "proxy-audit-1",
      steam_id: "76561198000000098",
      trade_token: "Secr3tTok",
    });
    await proxy("create", {
      order_id: "proxy-audit-1",
      steam_id: "76561198000000098",
      trade_token: "Secr3tTok",
    });
    const after = await listAuditEvents(consoleDb.handle.db, { limit: 200 });
    const added = after.events.slice(0, after.events.length - before.events.length).reverse();
    expect(added.map((e) => [e.action, e.targetId, e.outcome])).toEqual([
      ["proxy.call", "create", "ok"],
      ["proxy.call", "create", "failed"],
    ]);
    expect(added[0]).toMatchObject({ actorKind: "operator", actorId: "op-1", address: "127.0.0.9" });
    expect(added[0]?.transactionId).toMatch(/^\d+$/); // the deposit it created: shown on that deposit's page
    const calls = await consoleDb.handle.db.select().from(apiCalls).orderBy(asc(apiCalls.id));
    expect(calls.at(-1)?.caller).toBe("operator:op-1");
  });

  it("404 for methods outside the allowlist, 400 for bad parameters (nothing sent)", async () => {
    expect((await proxy("withdraw_everything", {})).status).toBe(404);
    const bad = await proxy("orders", { starting: "yesterday", ending: "1700000000" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues.join()).toMatch(/starting: must be a UNIX time/);
    expect((await proxy("balance", "{not json")).status).toBe(400);
    expect((await proxy("balance", [1, 2])).status).toBe(400);
  });

  it("maps SkinsBack errors to clear HTTP answers", async () => {
    const unknown = await proxy("orderstatus", { transaction_id: "424242" });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ code: 4, errorMessage: "transaction_not_found" });

    const badSecret = await proxy(
      "balance",
      {},
      { deps: { gateway: { ...deps.gateway, clientSecret: "not-the-secret" } } },
    );
    expect(badSecret.status).toBe(502);
    expect(await badSecret.json()).toMatchObject({
      code: -3,
      hint: expect.stringMatching(/SKINSBACK_CLIENT_SECRET/),
    });

    await updateSwitches(sandboxDb.handle.db, { maintenance: true });
    try {
      const maintenance = await proxy("balance", {});
      expect(maintenance.status).toBe(503);
      expect(maintenance.headers.get("retry-after")).toBe("60");
    } finally {
      await updateSwitches(sandboxDb.handle.db, { maintenance: false });
    }

    const down = await proxy(
      "balance",
      {},
      { deps: { gateway: { ...deps.gateway, apiUrl: "http://127.0.0.1:9/api.php", timeoutMs: 300 } } },
    );
    expect(down.status).toBe(504);
  });

  it("429 with Retry-After when the shared budget has no room", async () => {
    const tight = {
      gateway: {
        ...deps.gateway,
        callsPerMinute: 1,
        maxBudgetWaitMs: 0,
        clientId: SANDBOX_TEST_CREDENTIALS.clientId,
      },
    };
    // A separate bucket would need another client id; instead fill this project's bucket to its (tight) limit.
    await proxy("status", {}, { deps: tight });
    const refused = await proxy("status", {}, { deps: tight });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error).toMatch(/rate budget exhausted, retry in \d+ s/);
  });

  it("records every call with trade tokens redacted and no secret anywhere", async () => {
    const rows = await consoleDb.handle.db.select().from(apiCalls).orderBy(asc(apiCalls.id));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const create = rows.find((r) => r.method === "create");
    expect(create).toMatchObject({ outcome: "ok", caller: "operator:op-1", attempts: 1 });
    expect(create?.params).toMatchObject({ order_id: "proxy-1", trade_token: "[redacted]" });
    expect(rows.find((r) => r.errorCode === -3)).toMatchObject({ outcome: "api_error", method: "balance" });
    expect(rows.some((r) => r.outcome === "rate_limited")).toBe(true);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(SANDBOX_TEST_CREDENTIALS.clientSecret);
    expect(everything).not.toContain("Secr3tTok");
  });
});
