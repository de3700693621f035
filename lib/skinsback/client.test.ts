import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceDue, createDeposit } from "@/lib/sandbox/engine";
import { deliverDue } from "@/lib/sandbox/outbox";
import { seedHistory } from "@/lib/sandbox/seed";
import { updateSwitches } from "@/lib/sandbox/switches";
import { rng } from "@/lib/sandbox/world";
import { openTestDatabase, type TestDatabase } from "@/lib/testing/databases";
import { storedDeposit } from "@/lib/testing/inspect";
import { SANDBOX_TEST_CREDENTIALS, startSandboxHarness } from "@/lib/testing/sandbox-harness";
import { type CallRecord, createSkinsbackClient, type SkinsbackClient } from "./client";
import { SkinsBackApiError, SkinsBackNetworkError, SkinsBackParamsError } from "./errors";
import { METHOD_NAMES } from "./methods";
import { signParams } from "./signature";

// Contract tests: every client method against the sandbox over real HTTP on loopback.
describe("SkinsBack client against the sandbox", () => {
  let sandboxDb: TestDatabase;
  let consoleDb: TestDatabase;
  let harness: Awaited<ReturnType<typeof startSandboxHarness>>;
  let client: SkinsbackClient;
  const covered = new Set<string>();
  const steamId = "76561198000000077";

  beforeAll(async () => {
    [sandboxDb, consoleDb] = await Promise.all([openTestDatabase("pglite"), openTestDatabase("pglite")]);
    harness = await startSandboxHarness({ sandboxDb: sandboxDb.handle.db, consoleDb: consoleDb.handle.db });
    client = createSkinsbackClient({
      apiUrl: harness.apiUrl,
      ...SANDBOX_TEST_CREDENTIALS,
      retryBaseDelayMs: 10,
    });
    // History gives the project a balance to buy skins with.
    await seedHistory(harness.ctx, new Date(), { deposits: 60, seed: 7 });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([sandboxDb?.drop(), consoleDb?.drop()]);
    // Every method of the catalogue has a contract test below.
    expect([...covered].sort()).toEqual([...METHOD_NAMES].sort());
  });

  const mark = (method: string) => covered.add(method);

  it("status, currencies, balance", async () => {
    mark("status");
    expect(await client.status({})).toMatchObject({ available: true });
    mark("currencies");
    const { items } = await client.currencies({});
    expect(items.find((c) => c.code === "usd")?.rate).toBe("1");
    mark("balance");
    const balance = await client.balance({});
    expect(balance.balance).toMatch(/^\d+\.\d{2}$/);
    expect(balance.balance_in_currencies?.usd).toBe(balance.balance);
  });

  it("create, orderstatus (by either id), orders", async () => {
    mark("create");
    const created = await client.create({
      order_id: "contract-1",
      steam_id: steamId,
      currency: "usd",
      min_amount: "1.00",
    });
    expect(created.url).toMatch(/\/sandbox\/pay\/\d+$/);
    expect(created.transaction_id).toMatch(/^\d+$/);
    await expect(client.create({ order_id: "contract-1" })).rejects.toMatchObject({
      skinsbackCode: 5,
      errorMessage: "order_id_already_exists",
    });

    mark("orderstatus");
    const byTransaction = await client.orderstatus({ transaction_id: created.transaction_id });
    expect(byTransaction).toMatchObject({ status: "pending", order_id: "contract-1", steam_id: steamId });
    expect((await client.orderstatus({ order_id: "contract-1" })).transaction_id).toBe(
      created.transaction_id,
    );
    const missing = await client.orderstatus({ transaction_id: "999999999" }).catch((e) => e);
    expect(missing).toBeInstanceOf(SkinsBackApiError);
    expect(missing).toMatchObject({
      method: "orderstatus",
      skinsbackCode: 4,
      errorMessage: "transaction_not_found",
    });

    mark("orders");
    const now = Math.floor(Date.now() / 1000);
    const page = await client.orders({ starting: String(now - 100 * 86400), ending: String(now + 60) });
    expect(page.items.some((d) => d.order_id === "contract-1")).toBe(true);
    expect(Number(page.total_count)).toBeGreaterThanOrEqual(61);
  });

  it("offer_approve moves an in_hold deposit to hold_approved, once", async () => {
    const ctx = harness.ctx;
    const start = new Date();
    const deposit = await createDeposit(
      ctx,
      {
        orderId: "contract-hold",
        steamId,
        currency: "eur",
        scenario: { game: "cs2", holdFlow: true, plan: ["in_hold", "success"] },
        createdAt: start,
      },
      rng(1),
    );
    await advanceDue(ctx, new Date(start.getTime() + 60_000));
    const inHold = await client.orderstatus({ order_id: "contract-hold" });
    expect(inHold.status).toBe("in_hold");
    expect(inHold.user_risk).toBeTruthy();

    mark("offer_approve");
    expect(await client.offer_approve({ transaction_id: String(deposit.transactionId) })).toEqual({
      status: "success",
    });
    expect((await client.orderstatus({ order_id: "contract-hold" })).status).toBe("hold_approved");
    await expect(client.offer_approve({ order_id: "contract-hold" })).rejects.toMatchObject({
      skinsbackCode: 5,
      errorMessage: "offer_already_approved_or_canceled",
    });
  });

  it("callback_error_list lists notifications the Result URL refused, with its HTTP code", async () => {
    const ctx = harness.ctx;
    await updateSwitches(ctx.db, { failResultUrl: true });
    const now = new Date();
    const deposit = await createDeposit(
      ctx,
      {
        orderId: "contract-failing",
        steamId,
        currency: "usd",
        scenario: { game: "rust", holdFlow: false, plan: ["success"] },
        createdAt: now,
      },
      rng(2),
    );
    await deliverDue(ctx, new Date(now.getTime() + 5_000));
    await updateSwitches(ctx.db, { failResultUrl: false });

    mark("callback_error_list");
    const list = await client.callback_error_list({});
    const entry = list.items.find((i) => i.order_id === "contract-failing");
    expect(entry).toMatchObject({ transaction_id: String(deposit.transactionId), http_code: "500" });
    const next = await client.callback_error_list({ start_from: String(list.start_from) });
    expect(next.items).toHaveLength(0);
  });

  it("user_inventory and create_from_user_inventory", async () => {
    mark("user_inventory");
    const inventory = await client.user_inventory({
      game: "dota2",
      steam_id: steamId,
      trade_token: "AbCd1234",
      currency: "rub",
    });
    expect(inventory.data.items.length).toBeGreaterThan(0);
    expect(inventory.data.currency_local).toBe("rub");
    const usable = inventory.data.items.filter((i) => i.tradable && !i.disabled).map((i) => i.asset_id);

    mark("create_from_user_inventory");
    const created = await client.create_from_user_inventory({
      game: "dota2",
      steam_id: steamId,
      trade_token: "AbCd1234",
      item_asset_ids: usable,
      order_id: "contract-inv",
      currency: "rub",
    });
    expect(created.data.transaction_id).toMatch(/^\d+$/);
    expect(created.data.sum).toMatch(/^\d+\.\d{2}$/);
    await expect(
      client.create_from_user_inventory({
        game: "dota2",
        steam_id: steamId,
        trade_token: "AbCd1234",
        item_asset_ids: usable,
        order_id: "contract-inv",
      }),
    ).rejects.toMatchObject({ skinsbackCode: 7, errorMessage: "order_id_already_exists" });
  });

  it("market: pricelist, search, buy, batch buy, getinfo, history", async () => {
    mark("market_pricelist");
    const grouped = await client.market_pricelist({ game: "cs2" });
    expect(grouped.items[0]).toHaveProperty("count");
    const full = await client.market_pricelist({ game: "cs2", full: "1" });
    expect(full.items[0]).toHaveProperty("id");
    // Public SDKs still send `csgo` for CS2: the same items, not invalid_game.
    const legacyName = await client.market_pricelist({ game: "csgo", full: "1" });
    expect(legacyName.items.map((i) => i.id)).toEqual(full.items.map((i) => i.id));

    mark("market_search");
    const found = await client.market_search({ game: "cs2", name: "Redline" });
    expect(found.items[0]?.name).toContain("Redline");
    await expect(client.market_search({ game: "cs2", name: "AK" })).rejects.toMatchObject({
      skinsbackCode: 2,
    });

    mark("market_buy");
    const cheap = found.items[0];
    const bought = await client.market_buy({
      partner: "39734000",
      token: "AbCd1234",
      id: String(cheap?.id),
      custom_id: "buy-1",
    });
    expect(bought).toMatchObject({
      offer_status: "creating_trade",
      custom_id: "buy-1",
      balance_debited_sum: cheap?.price,
    });
    await expect(
      client.market_buy({
        partner: "39734000",
        token: "AbCd1234",
        id: String(cheap?.id),
        custom_id: "buy-1",
      }),
    ).rejects.toMatchObject({
      skinsbackCode: 7,
      errorMessage: "custom_id_already_exists",
    });
    await expect(
      client.market_buy({ partner: "39734000", token: "AbCd1234", id: String(cheap?.id), max_price: "0.01" }),
    ).rejects.toMatchObject({ skinsbackCode: 6 });

    mark("market_batch_buy");
    const batch = await client.market_batch_buy({
      partner: "39734000",
      token: "AbCd1234",
      items: [{ id: String(cheap?.id), custom_id: "batch-1" }, { id: "999999" }],
    });
    expect(batch.purchased).toHaveLength(1);
    expect(batch.unavailable).toEqual([{ id: "999999", reason: "skin_unavailable" }]);

    mark("market_getinfo");
    const one = await client.market_getinfo({ buy_id: bought.buy_id });
    expect(one).toMatchObject({ buy_id: bought.buy_id, custom_id: "buy-1" });
    const many = await client.market_getinfo({ custom_ids: ["buy-1", "batch-1"] });
    expect("items" in many && many.items).toHaveLength(2);
    await expect(client.market_getinfo({ buy_id: "1" })).rejects.toMatchObject({
      skinsbackCode: 2,
      errorMessage: "offer_not_found",
    });

    mark("market_history");
    const now = Math.floor(Date.now() / 1000);
    const history = await client.market_history({ starting: String(now - 3600), ending: String(now + 60) });
    expect(history.items.map((i) => i.custom_id)).toEqual(expect.arrayContaining(["buy-1", "batch-1"]));
  });

  it("parameters are validated before anything is sent, with the field named", async () => {
    const error = await client.create({ order_id: "x", min_amount: "10.5" } as never).catch((e) => e);
    expect(error).toBeInstanceOf(SkinsBackParamsError);
    expect(error.message).toMatch(/min_amount and max_amount require currency/);
    await expect(client.orderstatus({})).rejects.toThrow(/exactly one of transaction_id or order_id/);
    await expect(client.create({ order_id: "y", steam_id: "123" })).rejects.toThrow(
      /steam_id: must be a 17-digit Steam id/,
    );
  });

  describe("the wire protocol's standard errors", () => {
    const post = async (body: Record<string, unknown>, init: RequestInit = {}) => {
      const response = await fetch(harness.apiUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        ...init,
      });
      expect(response.status).toBe(200); // SkinsBack answers errors with HTTP 200
      return response.json();
    };
    const signed = (params: Record<string, string>, secret = SANDBOX_TEST_CREDENTIALS.clientSecret) => ({
      ...params,
      sign: signParams(params, secret),
    });

    it("-1 for anything but POST", async () => {
      const response = await fetch(harness.apiUrl);
      expect(await response.json()).toEqual({
        status: "error",
        error_code: -1,
        error_message: "please_use_post_method",
      });
    });

    it("-2 for an unknown shop, -3 for a wrong signature, -5 for an unknown method", async () => {
      expect(await post(signed({ method: "balance", shopid: "42" }))).toMatchObject({ error_code: -2 });
      expect(await post(signed({ method: "balance", shopid: "1490" }, "wrong-secret"))).toEqual({
        status: "error",
        error_code: -3,
        error_message: "invalid_signature",
      });
      expect(await post(signed({ method: "refund_everything", shopid: "1490" }))).toEqual({
        status: "error",
        error_code: -5,
        error_message: "invalid_method",
      });
    });

    it("form-encoded calls work like JSON ones", async () => {
      const params = signed({ method: "status", shopid: "1490" });
      const response = await fetch(harness.apiUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params).toString(),
      });
      expect(await response.json()).toMatchObject({ status: "success", available: true });
    });

    it("-9 under maintenance: reads are retried, then fail with the code", async () => {
      await updateSwitches(harness.ctx.db, { maintenance: true });
      try {
        const records: CallRecord[] = [];
        const recording = createSkinsbackClient({
          apiUrl: harness.apiUrl,
          ...SANDBOX_TEST_CREDENTIALS,
          retryBaseDelayMs: 10,
          onCall: (record) => {
            records.push(record);
          },
        });
        const error = await recording.balance({}).catch((e) => e);
        expect(error).toMatchObject({ skinsbackCode: -9, errorMessage: "under_maintenance" });
        // One try and two retries, all of which SkinsBack's side received.
        expect(records.map((r) => [r.method, r.outcome, r.attempts])).toEqual([["balance", "api_error", 3]]);
        expect(await client.status({})).toMatchObject({ available: false, reason: "site_off" });
      } finally {
        await updateSwitches(harness.ctx.db, { maintenance: false });
      }
    });
  });

  it("a server that does not answer is a network error after retries (reads) and never a blind repeat (writes)", async () => {
    const records: CallRecord[] = [];
    const dead = createSkinsbackClient({
      apiUrl: "http://127.0.0.1:9/api.php",
      ...SANDBOX_TEST_CREDENTIALS,
      retryBaseDelayMs: 1,
      timeoutMs: 500,
      onCall: (record) => {
        records.push(record);
      },
    });
    await expect(dead.balance({})).rejects.toBeInstanceOf(SkinsBackNetworkError);
    expect(records.at(-1)).toMatchObject({ method: "balance", outcome: "network_error", attempts: 3 });
    await expect(dead.market_buy({ partner: "1", token: "AbCd1234", id: "2500" })).rejects.toThrow(
      /may or may not have happened/,
    );
    // The write was sent once; what follows is the idempotency look-up, never a second purchase.
    expect(records.find((r) => r.method === "market_buy")).toMatchObject({ attempts: 1 });
  });

  it("notifications the sandbox sends move the console's deposit to the sandbox's status", async () => {
    const ctx = harness.ctx;
    await updateSwitches(ctx.db, { duplicate: true, encoding: "form" });
    try {
      const start = new Date();
      const deposit = await createDeposit(
        ctx,
        {
          orderId: "contract-e2e",
          steamId,
          currency: "rub",
          scenario: { game: "cs2", holdFlow: true, plan: ["in_hold", "success"] },
          createdAt: start,
        },
        rng(3),
      );
      await advanceDue(ctx, new Date(start.getTime() + 60_000));
      await deliverDue(ctx, new Date(start.getTime() + 61_000));
      const sandboxView = await client.orderstatus({ transaction_id: String(deposit.transactionId) });
      const consoleView = await storedDeposit(consoleDb.handle.db, String(deposit.transactionId));
      expect(consoleView).toMatchObject({
        status: "in_hold",
        amount: sandboxView.amount,
        amountCurrency: "rub",
        userAmount: sandboxView.user_amount,
      });
      expect(consoleView?.userRisk).toEqual(sandboxView.user_risk);
    } finally {
      await updateSwitches(ctx.db, { duplicate: false, encoding: "json" });
    }
  });
});
