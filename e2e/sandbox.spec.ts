import { API_KEY, expect, ORIGIN, test } from "./support";

test("a fresh start in sandbox mode shows seeded history, delivered through the webhook", async ({
  page,
}) => {
  await page.goto("/deposits");
  await expect(page.getByTestId("mode-badge")).toHaveText("Sandbox");
  // The seed's notifications arrive through the real webhook path within moments of the start.
  await expect(async () => {
    await page.reload();
    await expect(page.locator("tbody[data-testid=deposit-rows] tr")).toHaveCount(50, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  const statuses = await page
    .locator("tbody[data-testid=deposit-rows] [data-status]")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
  expect(new Set(statuses).size).toBeGreaterThanOrEqual(2);
  // Older pages reach back into the seeded history.
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page.locator("tbody[data-testid=deposit-rows] tr").first()).toBeVisible();
});

test("a deposit made live through the signed proxy appears in the list", async ({ page, request }) => {
  const orderId = `live-e2e-${Date.now()}`;
  const created = await request.post("/api/skinsback/create", {
    headers: { authorization: `Bearer ${API_KEY}` },
    data: { order_id: orderId, steam_id: "76561198000000123", currency: "usd" },
  });
  expect(created.status()).toBe(200);
  const { result } = await created.json();
  expect(result.transaction_id).toMatch(/^\d+$/);

  await page.goto("/deposits");
  const row = page.locator(`tr[data-transaction-id="${result.transaction_id}"]`);
  await expect(row).toBeVisible({ timeout: 20_000 }); // the pending notification, delivered by the sandbox
  await expect(row).toContainText(orderId);

  // The call is an act on that deposit, shown on its page.
  await page.goto(`/deposits/${result.transaction_id}`);
  await expect(page.getByTestId("deposit-acts")).toContainText("called SkinsBack through the proxy");
  await expect(page.getByTestId("deposit-acts")).toContainText("api-key");

  // The payment URL that `create` returned is the sandbox's simulated SkinsBack page.
  await page.goto(new URL(result.url).pathname);
  await expect(page.getByRole("heading", { name: `Deposit ${result.transaction_id}` })).toBeVisible();
  await expect(page.getByText(orderId)).toBeVisible();

  const status = await request.post("/api/skinsback/orderstatus", {
    headers: { authorization: `Bearer ${API_KEY}` },
    data: { order_id: orderId },
  });
  expect((await status.json()).result.order_id).toBe(orderId);
});

test("the proxy refuses callers with neither a session nor the API key", async ({ playwright }) => {
  const anonymous = await playwright.request.newContext({ baseURL: ORIGIN });
  expect((await anonymous.post("/api/skinsback/balance", { data: {} })).status()).toBe(401);
  const wrongKey = await anonymous.post("/api/skinsback/balance", {
    data: {},
    headers: { authorization: "Bearer not-the-key-not-the-key" },
  });
  expect(wrongKey.status()).toBe(401);
  await anonymous.dispose();
});

test("the sandbox panel switches faults for every instance, one switch at a time", async ({
  page,
  request,
}) => {
  const stored = async () => (await request.get("/sandbox/control")).json();
  await page.goto("/sandbox");
  const live = page.getByRole("checkbox", { name: /^Live traffic/ });
  const duplicate = page.getByLabel("Duplicate delivery");
  const outOfOrder = page.getByLabel("Out-of-order delivery");
  await expect(live).toBeChecked(); // switched on after the seed
  await expect(duplicate).not.toBeChecked();
  await duplicate.check();
  await outOfOrder.check();
  await expect(duplicate).toBeChecked();
  await expect.poll(async () => (await stored()).outOfOrder).toBe(true);
  // After a reload every switch shows what was saved: the two just ticked, and live traffic untouched.
  await page.reload();
  await expect(duplicate).toBeChecked();
  await expect(outOfOrder).toBeChecked();
  await expect(live).toBeChecked();
  expect(await stored()).toMatchObject({ duplicate: true, outOfOrder: true, liveTraffic: true });

  await duplicate.uncheck();
  await outOfOrder.uncheck();
  await expect.poll(async () => (await stored()).outOfOrder).toBe(false);
  await page.reload();
  await expect(duplicate).not.toBeChecked();
  await expect(live).toBeChecked();
  expect(await stored()).toMatchObject({ duplicate: false, outOfOrder: false, liveTraffic: true });
  const invalid = await request.post("/sandbox/control", {
    data: { delayMs: -5 },
    headers: { origin: ORIGIN },
  });
  expect(invalid.status()).toBe(400);
});

test("Refresh from SkinsBack reads the deposit and records the check in its timeline and acts", async ({
  page,
  request,
}) => {
  const created = await request.post("/api/skinsback/create", {
    headers: { authorization: `Bearer ${API_KEY}` },
    data: { order_id: `refresh-e2e-${Date.now()}`, steam_id: "76561198000000456", currency: "usd" },
  });
  const { result } = await created.json();
  await expect(async () => {
    const response = await page.goto(`/deposits/${result.transaction_id}`);
    expect(response?.status()).toBe(200);
  }).toPass({ timeout: 20_000 });
  await page.getByRole("button", { name: "Refresh from SkinsBack" }).click();
  await expect(page.getByTestId("refresh-result")).toContainText(/SkinsBack (also )?says \w+/);
  await expect(page.getByText("via status_check")).toBeVisible();
  await expect(page.getByTestId("deposit-acts")).toContainText("refreshed from SkinsBack");
  // The SkinsBack call itself is on the timeline, with who made it.
  await page.reload();
  const call = page.getByTestId("timeline-entry").filter({ hasText: "SkinsBack orderstatus" });
  await expect(call).toHaveCount(1);
  await expect(call).toContainText("answered");
  await expect(call).toContainText("by operator:");
});

test("the API call log lists the proxy's calls with their caller, and the budget gauge counts them", async ({
  page,
  request,
}) => {
  const status = await request.post("/api/skinsback/status", {
    headers: { authorization: `Bearer ${API_KEY}` },
    data: {},
  });
  expect(status.status()).toBe(200);
  await page.goto("/api-calls?method=status");
  const row = page.locator("tbody[data-testid=call-rows] tr").first();
  await expect(row).toHaveAttribute("data-method", "status");
  await expect(row).toContainText("api-key");
  await expect(page.getByTestId("budget-gauge")).toContainText(/[1-9]\d* of 500/);
});
