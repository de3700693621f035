import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listAuditEvents } from "@/lib/audit/audit-log";
import { apiCalls, holdApprovals } from "@/lib/db/schema";
import { PROXY_RESULT_URLS_SETTING } from "@/lib/gateway/settings";
import { updateSwitches } from "@/lib/sandbox/switches";
import { changeSettings, settingChange } from "@/lib/settings/store";
import { useProxyTestbed } from "@/lib/testing/proxy-testbed";
import { SANDBOX_TEST_CREDENTIALS } from "@/lib/testing/sandbox-harness";

const CALLER = {
  actor: { kind: "operator", id: "op-1", email: "ops@example.com" },
  address: "127.0.0.9",
} as const;

describe("POST /api/skinsback/[method] (signed proxy)", () => {
  const bed = useProxyTestbed(CALLER);
  const proxy = bed.proxy;

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
    const before = await listAuditEvents(bed.consoleDb.handle.db, { limit: 200 });
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
    const after = await listAuditEvents(bed.consoleDb.handle.db, { limit: 200 });
    const added = after.events.slice(0, after.events.length - before.events.length).reverse();
    expect(added.map((e) => [e.action, e.targetId, e.outcome])).toEqual([
      ["proxy.call", "create", "ok"],
      ["proxy.call", "create", "failed"],
    ]);
    expect(added[0]).toMatchObject({ actorKind: "operator", actorId: "op-1", address: "127.0.0.9" });
    expect(added[0]?.transactionId).toMatch(/^\d+$/); // the deposit it created: shown on that deposit's page
    const calls = await bed.consoleDb.handle.db.select().from(apiCalls).orderBy(asc(apiCalls.id));
    // People read the caller: an operator by email, never by internal id.
    expect(calls.at(-1)?.caller).toBe("operator:ops@example.com");
  });

  it("never sends offer_approve: approval goes through the approval flow alone (403, nothing sent or claimed)", async () => {
    const created = await (
      await proxy("create", {
        order_id: "proxy-approve-1",
        steam_id: "76561198000000097",
        trade_token: "Secr3tTok",
      })
    ).json();
    const callsBefore = (await bed.consoleDb.handle.db.select().from(apiCalls)).length;
    const response = await proxy("offer_approve", { transaction_id: created.result.transaction_id });
    expect(response.status).toBe(403);
    expect((await response.json()).error).toMatch(/POST \/api\/holds\/approve/);
    expect((await bed.consoleDb.handle.db.select().from(apiCalls)).length).toBe(callsBefore);
    expect((await bed.consoleDb.handle.db.select().from(holdApprovals)).length).toBe(0);
  });

  it("a created deposit's result_url is the console's own or one an admin listed; any other is 403", async () => {
    const create = (orderId: string, resultUrl: string) =>
      proxy("create", {
        order_id: orderId,
        steam_id: "76561198000000096",
        trade_token: "Secr3tTok",
        result_url: resultUrl,
      });
    const foreign = await create("proxy-url-1", "https://attacker.example/hook");
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).issues.join()).toMatch(/^result_url:/);
    expect((await (await proxy("orderstatus", { order_id: "proxy-url-1" })).json()).error).toMatch(
      /not.found/,
    );
    expect((await create("proxy-url-2", bed.harness.ctx.resultUrl)).status).toBe(200);
    const listed = `${bed.harness.origin}/listed-hook`;
    expect((await create("proxy-url-3", listed)).status).toBe(403);
    await changeSettings(
      bed.consoleDb.handle.db,
      [settingChange(PROXY_RESULT_URLS_SETTING, [listed])],
      CALLER,
    );
    expect((await create("proxy-url-3", listed)).status).toBe(200);
    const recent = (await listAuditEvents(bed.consoleDb.handle.db, { limit: 3 })).events;
    expect(recent.map((e) => e.action)).toContain("settings.change");
  });

  it("a buy without custom_id is refused before anything is sent (a retry could buy twice)", async () => {
    const response = await proxy("market_buy", { partner: "12345678", token: "AbCd1234", id: "1" });
    expect(response.status).toBe(400);
    expect((await response.json()).issues.join()).toMatch(/^custom_id:/);
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
    expect(await unknown.json()).toMatchObject({
      code: "unprocessable",
      skinsbackCode: 4,
      errorMessage: "transaction_not_found",
    });

    const badSecret = await proxy(
      "balance",
      {},
      { deps: { gateway: { ...bed.deps.gateway, clientSecret: "not-the-secret" } } },
    );
    expect(badSecret.status).toBe(502);
    expect(await badSecret.json()).toMatchObject({
      code: "bad_gateway",
      skinsbackCode: -3,
      hint: expect.stringMatching(/SKINSBACK_CLIENT_SECRET/),
    });

    await updateSwitches(bed.sandboxDb.handle.db, { maintenance: true });
    try {
      const maintenance = await proxy("balance", {});
      expect(maintenance.status).toBe(503);
      expect(maintenance.headers.get("retry-after")).toBe("60");
    } finally {
      await updateSwitches(bed.sandboxDb.handle.db, { maintenance: false });
    }

    const down = await proxy(
      "balance",
      {},
      { deps: { gateway: { ...bed.deps.gateway, apiUrl: "http://127.0.0.1:9/api.php", timeoutMs: 300 } } },
    );
    expect(down.status).toBe(504);
  });

  it("429 with Retry-After when the shared budget has no room", async () => {
    const tight = {
      gateway: {
        ...bed.deps.gateway,
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
    // Its own calls: a write with a trade token, a refusal for a wrong secret, one past a full budget.
    const orderId = "proxy-log-1";
    await proxy("create", { order_id: orderId, steam_id: "76561198000000097", trade_token: "Secr3tTok" });
    const wrongSecret = { gateway: { ...bed.deps.gateway, clientSecret: "not-the-secret" } };
    await proxy("balance", {}, { deps: wrongSecret });
    const tight = { gateway: { ...bed.deps.gateway, callsPerMinute: 1, maxBudgetWaitMs: 0 } };
    await proxy("status", {}, { deps: tight });
    await proxy("status", {}, { deps: tight });
    const rows = await bed.consoleDb.handle.db.select().from(apiCalls).orderBy(asc(apiCalls.id));
    const create = rows.find((r) => r.method === "create" && r.params.order_id === orderId);
    expect(create).toMatchObject({ outcome: "ok", caller: "operator:ops@example.com", attempts: 1 });
    expect(create?.params).toMatchObject({ order_id: orderId, trade_token: "[redacted]" });
    expect(rows.find((r) => r.errorCode === -3)).toMatchObject({ outcome: "api_error", method: "balance" });
    expect(rows.some((r) => r.outcome === "rate_limited")).toBe(true);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(SANDBOX_TEST_CREDENTIALS.clientSecret);
    expect(everything).not.toContain("Secr3tTok");
  });
});

describe("one error shape", () => {
  it("every error answer carries its machine code next to the message", async () => {
    const { AppError, appErrorResponse } = await import("@/lib/errors/app-error");
    for (const code of ["bad_request", "not_found", "conflict", "internal"] as const) {
      const body = await appErrorResponse(new AppError(code, "words for people")).json();
      expect(body).toMatchObject({ error: "words for people", code });
    }
    // A detail can never overwrite the machine code.
    const body = await appErrorResponse(
      new AppError("bad_gateway", "x", { details: { code: -3 } as Record<string, unknown> }),
    ).json();
    expect(body.code).toBe("bad_gateway");
  });
});
