import { createOperator, expect, ORIGIN, signIn, test } from "./support";

const write = { headers: { origin: ORIGIN } };

test("the overview's figures open the deposits they count", async ({ page, request }) => {
  // The seeded history must have arrived, or the counts move under the test.
  await expect
    .poll(async () => (await (await request.get("/sandbox/seed-progress")).json()).progress?.done, {
      timeout: 60_000,
    })
    .toBe(true);
  const count = async () => {
    const overview = await (await request.get("/api/overview?days=90")).json();
    return overview.byStatus.find((s: { status: string }) => s.status === "success").deposits as number;
  };
  await page.goto("/?days=90");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("link", { name: "90 days" })).toHaveAttribute("aria-current", "page");
  // Both charts drew (recharts loads after the figures).
  await expect(page.locator("figure .recharts-wrapper")).toHaveCount(2);
  await expect(page.locator("figure .recharts-bar-rectangle").first()).toBeVisible();
  const successRow = page.locator('[data-testid="status-totals"] tr[data-status="success"]');
  const shown = Number((await successRow.locator("td").nth(1).innerText()).replace(/,/g, ""));
  expect(shown).toBeGreaterThan(0);

  // The status links to the deposit list with the same period; its totals count the same deposits (success is
  // final: live traffic can only add to the count meanwhile, never take from it).
  await successRow.getByRole("link").click();
  await expect(page).toHaveURL(/\/deposits\?status=success&from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$/);
  const listed = Number(
    /^([\d,]+) deposit/.exec(await page.getByTestId("deposit-totals").innerText())?.[1]?.replace(/,/g, ""),
  );
  const after = await count();
  expect(listed).toBeGreaterThanOrEqual(shown);
  expect(after).toBeGreaterThanOrEqual(listed);
  expect(after - shown).toBeLessThan(10);
});

test("SkinsBack under maintenance: the overview says so instead of a balance", async ({ page, request }) => {
  await page.goto("/");
  await expect(page.getByTestId("skinsback-health").locator("[data-state]")).toHaveAttribute(
    "data-state",
    "up",
  );
  await expect(page.getByTestId("skinsback-health")).toContainText("Balance");
  expect((await request.post("/sandbox/control", { ...write, data: { maintenance: true } })).status()).toBe(
    200,
  );
  try {
    // The e2e server reuses SkinsBack's answers for 1 s (SKINSBACK_STATUS_CACHE_SECONDS).
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("skinsback-health").locator("[data-state]")).toHaveAttribute(
        "data-state",
        "maintenance",
        { timeout: 3_000 },
      );
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("skinsback-health")).toContainText("under maintenance");
    await expect(page.getByTestId("skinsback-health")).toContainText("site_off");
    await expect(page.getByTestId("skinsback-health")).toContainText("Balance unknown");
  } finally {
    await request.post("/sandbox/control", { ...write, data: { maintenance: false } });
  }
});

test("the silence alarm: live traffic stops, the threshold is short, every page shows the banner", async ({
  page,
  request,
}) => {
  const before = await (await request.get("/sandbox/control")).json();
  await page.goto("/deposits");
  await expect(page.getByTestId("silence-alarm")).toHaveCount(0);
  // SkinsBack stops sending: nothing at all arrives, whatever the seeded history and earlier tests left due.
  const quiet = { liveTraffic: false, holdNotifications: true };
  expect((await request.post("/sandbox/control", { ...write, data: quiet })).status()).toBe(200);
  const saved = await request.patch("/api/settings/alarms", { ...write, data: { silenceMinutes: 0.1 } });
  expect(saved.status(), await saved.text()).toBe(200);
  try {
    // Nothing arrives from now on: after 6 s the alarm is raised.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("silence-alarm")).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 45_000 });
    await expect(page.getByTestId("silence-alarm")).toContainText("No notification from SkinsBack");
    // On every page, and the overview names the threshold.
    await page.goto("/webhooks");
    await expect(page.getByTestId("silence-alarm")).toBeVisible();
    await page.goto("/");
    await expect(page.getByTestId("last-notification")).toContainText("Silent for over 6 s");
    // The threshold is audited.
    await page.goto("/audit?action=settings.change");
    await expect(page.getByRole("main")).toContainText("alarms.silence-minutes");
  } finally {
    await request.patch("/api/settings/alarms", { ...write, data: { silenceMinutes: 30 } });
    await request.post("/sandbox/control", {
      ...write,
      data: { liveTraffic: before.liveTraffic, holdNotifications: false },
    });
  }
  // Back to 30 minutes: the banner goes.
  await page.goto("/deposits");
  await expect(page.getByTestId("silence-alarm")).toHaveCount(0);
});

test("a viewer sees the overview but cannot change the alarm", async ({ browser, request }) => {
  const viewer = await createOperator(request, "viewer");
  const context = await browser.newContext({ baseURL: ORIGIN });
  const page = await context.newPage();
  await signIn(page.request, viewer);
  await page.goto("/");
  await expect(page.getByTestId("last-notification")).toBeVisible();
  await expect(page.getByLabel("Alarm after (minutes)")).toHaveCount(0);
  const refused = await page.request.patch("/api/settings/alarms", { ...write, data: { silenceMinutes: 1 } });
  expect(refused.status()).toBe(403);
  await context.close();
});
