import { parse } from "csv-parse/sync";
import { SANDBOX_CREDENTIALS } from "../lib/config";
import { encodeNotification, signNotification } from "../lib/skinsback/notification-builder";
import { xSign } from "../lib/skinsback/signature";
import { expect, ORIGIN, test } from "./support";

const { clientId, clientSecret } = SANDBOX_CREDENTIALS;

async function send(request: import("@playwright/test").APIRequestContext, fields: Record<string, unknown>) {
  const { body, contentType } = encodeNotification(fields, "json");
  return request.post("/api/webhooks/skinsback", {
    data: body,
    headers: { "content-type": contentType, "x-sign": xSign(clientId, clientSecret) },
  });
}

test("a signed notification shows up in /deposits and its timeline", async ({ page, request }) => {
  const transactionId = `e2e${Date.now()}`;
  const base = {
    transaction_id: transactionId,
    order_id: `order-${transactionId}`,
    steam_id: "76561198000000042",
    date: Math.floor(Date.now() / 1000) - 60,
    amount: "7.68",
    amount_currency: "usd",
    user_amount: "15.36",
  };
  const inHold = signNotification(
    {
      ...base,
      status: "in_hold",
      in_hold_until: Math.floor(Date.now() / 1000) + 8 * 86400,
      user_risk: {
        total_deposits_count: "14",
        total_deposits_sum: "412.80",
        joined_at: "2021-03-14 10:22:01",
      },
    },
    clientSecret,
  );
  const response = await send(request, inHold);
  expect(response.status()).toBe(200);
  expect(await response.text()).toBe("OK");
  // The same notification again, and a bad one: both must show on the timeline.
  expect((await send(request, inHold)).status()).toBe(200);
  expect((await send(request, { ...inHold, amount: "768" })).status()).toBe(401);

  await page.goto("/deposits");
  await expect(page.getByTestId("mode-badge")).toHaveText("Sandbox");
  const row = page.locator(`tr[data-transaction-id="${transactionId}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText("in hold");
  await expect(row).toContainText("7.68 USD");
  await expect(row).toContainText("76561198000000042");

  await row.getByRole("link", { name: transactionId }).click();
  await expect(page).toHaveURL(new RegExp(`/deposits/${transactionId}$`));
  await expect(page.getByRole("heading", { name: transactionId })).toBeVisible();
  await expect(page.getByTestId("risk-block")).toContainText("14 deposits, 412.80 USD in total"); // money with its currency
  await expect(page.getByTestId("risk-block")).toContainText("unsigned");
  // The risk queue's assessment, on the deposit's page too: 14 deposits is a record, the missing fields are not.
  await expect(page.getByTestId("deposit-risk").locator("[data-risk-level]")).toHaveAttribute(
    "data-risk-level",
    "medium",
  );
  await expect(page.getByTestId("deposit-risk")).toContainText("risk data incomplete or unreadable");
  // The hold's end, with a live countdown while the deposit is held.
  await expect(page.getByTestId("hold-ends")).toContainText(/in 7 d \d+ h/);
  const entries = page.getByTestId("timeline-entry");
  await expect(entries).toHaveCount(3);
  await expect(entries.nth(0).locator("[data-outcome]")).toHaveText("applied");
  await expect(entries.nth(1).locator("[data-outcome]")).toHaveText("duplicate");
  await expect(entries.nth(2).locator("[data-outcome]")).toHaveText("bad signature");
  // The refused body's status is only a claim: no coloured status badge for it.
  await expect(entries.nth(2).locator("[data-status]")).toHaveCount(0);
  await expect(entries.nth(2)).toContainText("claims in hold");

  // A later notification moves the deposit forward; the open list picks it up without a reload.
  await page.goto("/deposits");
  const success = signNotification({ ...base, status: "success" }, clientSecret);
  expect((await send(request, success)).status()).toBe(200);
  await expect(page.locator(`tr[data-transaction-id="${transactionId}"]`)).toContainText("success", {
    timeout: 15_000,
  });

  // The first notification arrives last, after the final one: older news (stale), the deposit stays success.
  const pending = signNotification({ ...base, status: "pending" }, clientSecret);
  expect((await send(request, pending)).status()).toBe(200);
  await page.goto(`/deposits/${transactionId}`);
  await expect(page.getByRole("main").locator("h1 + [data-status]")).toHaveAttribute(
    "data-status",
    "success",
  );
  await expect(entries).toHaveCount(5);
  await expect(entries.nth(3).locator("[data-outcome]")).toHaveText("applied");
  await expect(entries.nth(4).locator("[data-outcome]")).toHaveText("stale");
  await expect(entries.nth(4)).toContainText("deposit was success");
  // No countdown once the deposit is final.
  await expect(page.getByTestId("hold-ends")).not.toContainText(/in \d/);

  // An operator's note joins the timeline, after everything that happened before it.
  await page.getByLabel(/Add a note/).fill("player confirmed the trade by chat");
  await page.getByRole("button", { name: "Add note" }).click();
  const note = page.getByTestId("timeline-note");
  await expect(note).toContainText("player confirmed the trade by chat");
  await expect(note).toContainText(/by \S+@/);
  await expect(page.getByTestId("timeline").locator("li").last()).toHaveAttribute(
    "data-testid",
    "timeline-note",
  );
});

test("money that changes between statuses is applied and flagged on the deposit's page", async ({
  page,
  request,
}) => {
  const transactionId = `e2e-money-${Date.now()}`;
  const base = {
    transaction_id: transactionId,
    order_id: `order-${transactionId}`,
    steam_id: "76561198000000043",
    date: Math.floor(Date.now() / 1000) - 60,
    amount_currency: "usd",
  };
  const held = signNotification(
    { ...base, status: "in_hold", amount: "121.50", user_amount: "243" },
    clientSecret,
  );
  expect((await send(request, held)).status()).toBe(200);
  const settled = signNotification(
    { ...base, status: "success", amount: "5000.00", user_amount: "243" },
    clientSecret,
  );
  expect((await send(request, settled)).status()).toBe(200);
  await page.goto(`/deposits/${transactionId}`);
  await expect(page.getByRole("alert").filter({ hasText: "Flagged" })).toContainText(
    "Flagged: money changed from in_hold to success: amount 121.5 → 5000",
  );
});

test("health answers 200 once the database is migrated", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: "pglite" });
});

test("an unknown address gets the console's own 404 page, and the app has an icon", async ({
  page,
  request,
}) => {
  const response = await page.goto("/no-such-page-here");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "There is no page at this address" })).toBeVisible();
  const icon = await request.get("/icon.svg");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("svg");
});

test("an unknown deposit is a clear 404 page", async ({ page }) => {
  const response = await page.goto("/deposits/does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such deposit" })).toBeVisible();
});

test("the delivery log lists every request with its outcome; a refused one opens with its headers and raw body", async ({
  page,
  request,
}) => {
  const transactionId = `dlog${Date.now()}`;
  const refused = await request.post("/api/webhooks/skinsback", {
    data: JSON.stringify({
      transaction_id: transactionId,
      order_id: "o",
      status: "success",
      sign: "0".repeat(40),
    }),
    headers: { "content-type": "application/json", "x-sign": "not-our-secret" },
  });
  expect(refused.status()).toBe(401);
  await page.goto(`/webhooks?outcome=bad_signature&transactionId=${transactionId}`);
  const row = page.locator("tbody[data-testid=delivery-rows] tr").first();
  await expect(row).toHaveAttribute("data-outcome", "bad_signature");
  await expect(row).toContainText("401");
  await expect(row).toContainText("sign invalid");
  await row.getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: /Delivery #\d+/ })).toBeVisible();
  await expect(page.getByTestId("raw-body")).toContainText(`"transaction_id":"${transactionId}"`);
  // Credentials are never stored: X-SIGN shows redacted.
  await expect(page.locator("tr", { hasText: "x-sign" })).toContainText("[redacted]");
  await expect(page.getByText("not-our-secret")).toHaveCount(0);
  // Laid out for reading, beside the raw bytes.
  await expect(page.getByTestId("pretty-body")).toContainText(`"transaction_id": "${transactionId}"`);
  // Replayed from its own page: the same bytes still do not verify, and the page says so (asked first).
  await page.getByRole("button", { name: "Replay this delivery…" }).click();
  await page
    .getByRole("alertdialog", { name: "Replay this delivery" })
    .getByRole("button", { name: "Replay" })
    .click();
  await expect(page.getByTestId("replay-outcome")).toContainText("still failing");
  const audit = await (await request.get(`/api/audit?transactionId=${transactionId}`)).json();
  expect(JSON.stringify(audit)).toContain("replay");
});

test("filters, search and CSV export: in the URL, kept across pages, formula cells neutralised", async ({
  page,
  request,
}) => {
  const stamp = Date.now();
  const steamId = `7656119${String(stamp).slice(-10)}`;
  const orderId = `=HYPERLINK("http://evil.example","x")-${stamp}`;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const transactionId = `flt${stamp}${i}`;
    ids.push(transactionId);
    const fields = signNotification(
      {
        transaction_id: transactionId,
        order_id: i === 0 ? orderId : `flt-order-${stamp}-${i}`,
        steam_id: steamId,
        date: Math.floor(stamp / 1000) - i,
        status: i === 2 ? "fail" : "success",
        amount: i === 1 ? "1234.5" : "10.00",
        amount_currency: "eur",
        ...(i === 2 ? { reason: "timeout", amount: undefined } : {}),
      },
      clientSecret,
    );
    expect((await send(request, fields)).status()).toBe(200);
  }

  // Search by Steam id, then narrow by status: all in the URL.
  await page.goto("/deposits");
  await page.getByLabel("Search: transaction id, or the start of an order id or Steam id").fill(steamId);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${steamId}`));
  const rows = page.locator("tbody[data-testid=deposit-rows] tr");
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId("deposit-totals")).toContainText("3 deposits");
  await expect(page.getByTestId("deposit-totals")).toContainText("1,244.50 EUR");
  await page.getByRole("checkbox", { name: "success" }).check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=success/);
  await expect(rows).toHaveCount(2);
  // The back button returns to the wider view; the URL alone reproduces the narrow one (shareable).
  const shared = page.url();
  await page.goBack();
  await expect(rows).toHaveCount(3);
  await page.goto(shared);
  await expect(rows).toHaveCount(2);

  // Search by transaction id and by order id.
  await page.goto(`/deposits?q=${ids[1]}`);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("1,234.50 EUR");
  await page.goto(`/deposits?q=${encodeURIComponent(`flt-order-${stamp}-2`)}`);
  await expect(rows.first()).toHaveAttribute("data-transaction-id", ids[2] as string);
  // The start of an order id finds every order it begins.
  await page.goto(`/deposits?q=${encodeURIComponent(`flt-order-${stamp}`)}`);
  await expect(rows).toHaveCount(2);

  // Paging keeps the filters: one row a page.
  await page.goto(`/deposits?q=${steamId}&limit=1`);
  await expect(rows).toHaveCount(1);
  await page.getByRole("link", { name: "Older →" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${steamId}.*cursor=`));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-transaction-id", ids[1] as string);

  // The export of the filter, parsed back: every row, the formula cell defused.
  const csv = await request.post(`/api/deposits/export?q=${steamId}`, { headers: { origin: ORIGIN } });
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  // Read back by a real CSV reader, not by our own code.
  const records: string[][] = parse(await csv.text());
  expect(records[0]?.join(",")).toBe(
    "created_at,transaction_id,order_id,steam_id,status,amount,amount_currency,user_amount,fail_reason,in_hold_until,flagged",
  );
  expect(records).toHaveLength(4);
  const formulaRow = records.find((r) => r.includes(ids[0] as string)) as string[];
  expect(formulaRow[2]).toBe(`'=HYPERLINK("http://evil.example","x")-${stamp}`);
  expect(records.some((r) => r[4] === "fail" && r[8] === "timeout")).toBe(true);
  const audit = await (await request.get("/api/audit?action=deposit.export&limit=1")).json();
  expect(audit.events[0].detail).toMatchObject({ rows: 3, capped: false });
});

test("the totals line follows the list: a new deposit for the filter counts without a reload", async ({
  page,
  request,
}) => {
  const stamp = Date.now();
  const steamId = `7656119${String(stamp).slice(-10)}`;
  const deposit = (i: number) =>
    signNotification(
      {
        transaction_id: `tot${stamp}${i}`,
        order_id: `tot-order-${stamp}-${i}`,
        steam_id: steamId,
        date: Math.floor(stamp / 1000) - i,
        status: "success",
        amount: "5.00",
        amount_currency: "usd",
      },
      clientSecret,
    );
  expect((await send(request, deposit(1))).status()).toBe(200);
  await page.goto(`/deposits?q=${steamId}`);
  await expect(page.getByTestId("deposit-totals")).toContainText("1 deposit");
  await expect(page.getByTestId("deposit-totals")).toContainText("5.00 USD");
  expect((await send(request, deposit(2))).status()).toBe(200);
  // The rows and the totals poll every 5 s: both show the second deposit.
  await expect(page.locator("tbody[data-testid=deposit-rows] tr")).toHaveCount(2);
  await expect(page.getByTestId("deposit-totals")).toContainText("2 deposits");
  await expect(page.getByTestId("deposit-totals")).toContainText("10.00 USD");
});

test("the totals line drops no currency: past six, '+N more' opens the rest", async ({ page, request }) => {
  const stamp = Date.now();
  const steamId = `7656118${String(stamp).slice(-10)}`;
  const currencies = ["usd", "eur", "rub", "uah", "cny", "kzt", "brl", "try"];
  for (const [i, currency] of currencies.entries()) {
    const fields = signNotification(
      {
        transaction_id: `cur${stamp}${i}`,
        order_id: `cur-order-${stamp}-${i}`,
        steam_id: steamId,
        date: Math.floor(stamp / 1000) - i,
        status: "success",
        amount: `${100 + i}.25`,
        amount_currency: currency,
      },
      clientSecret,
    );
    expect((await send(request, fields)).status()).toBe(200);
  }
  await page.goto(`/deposits?q=${steamId}`);
  const totals = page.getByTestId("deposit-totals");
  await expect(totals).toContainText("8 deposits");
  await totals.getByText("+2 more").click();
  for (const [i, currency] of currencies.entries()) {
    await expect(totals).toContainText(`${100 + i}.25 ${currency.toUpperCase()}`);
  }
});
