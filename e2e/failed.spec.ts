import { API_KEY, createOperator, expect, ORIGIN, test } from "./support";

/**
 * The failed-notification screen end to end: the sandbox's Result URL fails, SkinsBack lists the notifications,
 * the sync finds them, Retry makes the console right, a viewer cannot act, and a bulk replay runs to 100 %.
 */
test.describe.configure({ mode: "serial" });

let transactionIds: string[] = [];

test("a failing Result URL: the deposits appear on the screen, Retry applies SkinsBack's truth, the timeline shows it", async ({
  page,
  request,
}) => {
  const write = { headers: { origin: ORIGIN } };
  expect(
    (
      await request.patch("/api/settings/failed-notifications", { ...write, data: { autoReplay: false } })
    ).status(),
  ).toBe(200);
  expect((await request.post("/sandbox/control", { ...write, data: { failResultUrl: true } })).status()).toBe(
    200,
  );
  try {
    transactionIds = [];
    for (let i = 0; i < 2; i++) {
      const created = await request.post("/api/skinsback/create", {
        headers: { authorization: `Bearer ${API_KEY}` },
        data: { order_id: `failed-e2e-${Date.now()}-${i}`, steam_id: "76561198000000321", currency: "usd" },
      });
      expect(created.status()).toBe(200);
      transactionIds.push(String((await created.json()).result.transaction_id));
    }
    // SkinsBack's side tries to deliver, fails, and lists them.
    await expect
      .poll(
        async () => {
          const listed = await request.post("/api/skinsback/callback_error_list", {
            headers: { authorization: `Bearer ${API_KEY}` },
            data: {},
          });
          const items: { transaction_id: string }[] = (await listed.json()).result.items;
          return transactionIds.every((id) => items.some((item) => String(item.transaction_id) === id));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
  } finally {
    await request.post("/sandbox/control", { ...write, data: { failResultUrl: false } });
  }

  await page.goto("/webhooks/failed");
  await page.getByRole("button", { name: "Sync now" }).click();
  const row = page.locator(`tr[data-transaction-id="${transactionIds[0]}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText("SkinsBack lists it as failed: our answer was 500");
  await expect(row).toContainText("deposit unknown here");
  await row.getByRole("button", { name: "Retry" }).click();
  await expect(row.getByTestId("replay-outcome")).toHaveText("applied: new → pending");
  await expect(row.getByRole("button", { name: "Retry" })).toHaveCount(0);

  // A second Retry of the same row from elsewhere is told who did it.
  const rowKey = (await row.getAttribute("data-row-key")) as string;
  const [, id] = rowKey.split(":");
  const again = await request.post("/api/webhooks/failed/replay", {
    ...write,
    data: { kind: "skinsback", id: Number(id) },
  });
  expect(await again.json()).toMatchObject({ result: "already", by: "admin@sandbox.test" });

  await page.goto(`/deposits/${transactionIds[0]}`);
  await expect(page.getByText("via replay")).toBeVisible();
  await expect(page.getByTestId("deposit-acts")).toContainText(
    /replayed a notification\s*SkinsBack.s failed row #\d+/,
  );
});

test("a viewer sees the rows but no Retry, and its replay request is refused", async ({
  request,
  browser,
}) => {
  const viewer = await createOperator(request, "viewer");
  const context = await browser.newContext({ baseURL: ORIGIN });
  const page = await context.newPage();
  await page.goto("/sign-in?next=%2Fwebhooks%2Ffailed");
  await page.getByLabel("Email").fill(viewer.email);
  await page.getByLabel("Password").fill(viewer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/webhooks\/failed$/);
  await expect(page.locator(`tr[data-transaction-id="${transactionIds[1]}"]`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Retry" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Retry all matching/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sync now" })).toHaveCount(0);
  const refused = await page.request.post("/api/webhooks/failed/replay", {
    headers: { origin: ORIGIN },
    data: { kind: "skinsback", id: 1 },
  });
  expect(refused.status()).toBe(403);
  await context.close();
});

test("Retry all matching: the preview says how many and what, then the progress bar runs to 100 %", async ({
  page,
}) => {
  // SkinsBack's rows (the console's own refusals from other specs may stay refused: a forged body never verifies).
  await page.goto("/webhooks/failed?source=skinsback");
  await page.getByRole("button", { name: /Retry all matching/ }).click();
  const preview = page.getByTestId("bulk-preview");
  await expect(preview).toContainText(/Replay \d+ open rows? matching these filters\?/);
  await preview.getByRole("button", { name: /^Replay \d+/ }).click();
  await expect(page.getByTestId("bulk-counts")).toContainText("(100 %)", { timeout: 30_000 });
  await expect(page.getByTestId("bulk-counts")).toContainText("failed 0");
  await expect(page.getByTestId("failed-total")).toContainText("Nothing failed is waiting");
  await page.goto(`/deposits/${transactionIds[1]}`);
  await expect(page.getByText("via replay")).toBeVisible();
});

test("a forged request is dismissed with a reason, shown as such, and the dismissal undone", async ({
  page,
  request,
}) => {
  const transactionId = `forged${Date.now()}`;
  const forged = await request.post("/api/webhooks/skinsback", {
    data: JSON.stringify({
      transaction_id: transactionId,
      order_id: "x",
      status: "success",
      sign: "0".repeat(40),
    }),
    headers: { "content-type": "application/json" },
  });
  expect(forged.status()).toBe(401);
  await page.goto("/webhooks/failed?source=console");
  const row = page.locator(`tr[data-transaction-id="${transactionId}"]`);
  // Unknown here: its link opens the refused request, never a deposit page that would be a 404.
  const link = row.getByRole("link", { name: transactionId });
  await expect(link).toHaveAttribute("href", /^\/webhooks\/\d+$/);
  await row.getByRole("button", { name: "Dismiss…" }).click();
  await row.getByLabel("Why dismiss it (shown and audited)").fill("forged, from a scanner");
  await row.getByRole("button", { name: "Dismiss", exact: true }).click();
  await expect(row).toHaveCount(0);

  await page.goto("/webhooks/failed?source=console&state=resolved");
  const resolved = page.locator(`tr[data-transaction-id="${transactionId}"]`);
  await expect(resolved).toContainText(/dismissed by \S+@\S+: forged, from a scanner/);
  await resolved.getByRole("button", { name: "Undo dismiss" }).click();
  await expect(resolved).toHaveCount(0);
  await page.goto("/webhooks/failed?source=console");
  await expect(page.locator(`tr[data-transaction-id="${transactionId}"]`)).toHaveAttribute(
    "data-resolved",
    "no",
  );
});
