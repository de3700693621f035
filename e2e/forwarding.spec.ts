import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { API_KEY, createOperator, expect, ORIGIN, signIn, test } from "./support";

/**
 * Forwarding end to end: an admin adds the merchant's backend in the UI and it receives verified messages; the
 * sandbox's demo receiver fails, the retries show, Resend sends again, the deposit's page shows each forward; a
 * viewer sees all of it and can do none of it; API keys read the feed within their scopes until revoked.
 */
test.describe.configure({ mode: "serial" });

const write = { headers: { origin: ORIGIN } };

type Received = { webhookId: string; type: string; data: Record<string, unknown> };

/** The merchant's backend, in this test process: verifies with the secret the console showed once. */
async function startBackend() {
  const received: Received[] = [];
  let secret = "";
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      const verified = new Webhook(secret).verify(body, req.headers as Record<string, string>) as Received;
      received.push({
        webhookId: String(req.headers["webhook-id"]),
        type: verified.type,
        data: verified.data,
      });
      res.writeHead(204).end();
    } catch {
      res.writeHead(401).end("bad signature");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/skinsback-console`,
    received,
    setSecret: (s: string) => {
      secret = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function createDeposit(request: import("@playwright/test").APIRequestContext): Promise<string> {
  const created = await request.post("/api/skinsback/create", {
    headers: { authorization: `Bearer ${API_KEY}` },
    data: { order_id: `forward-e2e-${Date.now()}`, steam_id: "76561198000000777", currency: "usd" },
  });
  expect(created.status(), await created.text()).toBe(200);
  return String((await created.json()).result.transaction_id);
}

test("an endpoint added in the UI receives each change verified; the demo receiver's failures retry; Resend; the deposit shows its forwards", async ({
  page,
  request,
}) => {
  // The sandbox adds its demo receiver once the seeded history has arrived (a few seconds into the server's life).
  await expect
    .poll(
      async () =>
        (
          (await (await request.get("/api/forwarding")).json()).endpoints as { endpoint: { name: string } }[]
        ).map((e) => e.endpoint.name),
      { timeout: 30_000 },
    )
    .toContain("demo receiver");
  const backend = await startBackend();
  try {
    await page.goto("/settings/forwarding");
    const form = page.locator("form", { hasText: "Add an endpoint" });
    // The drop-in format's fields show only for that format.
    await expect(form.getByLabel("SkinsBack format: encoding")).toHaveCount(0);
    await form.locator("select[name=format]").selectOption("skinsback");
    await expect(form.getByLabel("SkinsBack format: encoding")).toBeVisible();
    await form.locator("select[name=format]").selectOption("standard");
    await expect(form.getByLabel("SkinsBack format: own secret (optional)")).toHaveCount(0);
    await form.getByLabel("Name").fill(`game backend ${Date.now()}`);
    await form.getByLabel("URL").fill(backend.url);
    // Without "internal network" a loopback URL is refused, in words (never "[object Object]").
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(form.getByRole("alert")).toContainText(
      "url: resolves to 127.0.0.1, a loopback, private or link-local address",
    );
    await expect(form.getByRole("alert")).not.toContainText("[object Object]");
    await form.getByLabel(/Internal network/).check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const shown = page.getByTestId("endpoint-secret");
    await expect(shown).toContainText("shown this once");
    const secret = (await shown.locator("code").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    backend.setSecret(secret);

    // The demo receiver fails from now on; our backend is healthy.
    expect(
      (await request.post("/sandbox/control", { ...write, data: { merchantReceiver: "failing" } })).status(),
    ).toBe(200);
    const transactionId = await createDeposit(request);
    await expect
      .poll(
        () => backend.received.filter((r) => r.data.transaction_id === transactionId).map((r) => r.type),
        { timeout: 20_000 },
      )
      .toContain("deposit.pending");
    const mine = backend.received.find((r) => r.data.transaction_id === transactionId);
    expect(mine?.data).toMatchObject({ status: "pending", sequence: 1, source: "webhook" });

    // The demo receiver's copy retries every 2 s (FORWARD_RETRY_SCHEDULE in the e2e server).
    await page.goto("/forwarding");
    await page.getByRole("link", { name: "demo receiver" }).click();
    await page.getByRole("textbox", { name: "Deposit" }).fill(transactionId);
    await page.getByRole("combobox", { name: "Type" }).selectOption("deposit.pending");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/deposit=/);
    await page.getByTestId("message-rows").getByRole("link").first().click();
    await expect(page).toHaveURL(/\/forwarding\/messages\//);
    await expect(async () => {
      await page.reload();
      expect(
        await page.getByTestId("attempt-rows").locator("tr[data-delivered='false']").count(),
      ).toBeGreaterThanOrEqual(2);
    }).toPass({ timeout: 20_000 });
    await expect(page.getByTestId("message-headers")).toContainText("webhook-signature:[redacted]");

    // Healthy again: delivered on a retry with the same webhook-id; then Resend sends it once more.
    expect(
      (await request.post("/sandbox/control", { ...write, data: { merchantReceiver: "healthy" } })).status(),
    ).toBe(200);
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("attempt-rows").locator("tr[data-delivered='true']")).toHaveCount(1, {
        timeout: 1_000,
      });
    }).toPass({ timeout: 20_000 });
    await page.getByRole("button", { name: "Resend" }).click();
    await expect(page.getByRole("status")).toContainText("same webhook-id");
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("attempt-rows").locator("tr[data-delivered='true']")).toHaveCount(2, {
        timeout: 1_000,
      });
    }).toPass({ timeout: 20_000 });

    // The deposit's page: a forward per endpoint, each delivered.
    await page.goto(`/deposits/${encodeURIComponent(transactionId)}`);
    const forwards = page.getByTestId("deposit-forward");
    await expect(forwards.filter({ hasText: "demo receiver" }).first()).toHaveAttribute(
      "data-state",
      "delivered",
    );
    await expect(forwards.filter({ hasText: "game backend" }).first()).toHaveAttribute(
      "data-state",
      "delivered",
    );
  } finally {
    await request.post("/sandbox/control", { ...write, data: { merchantReceiver: "realistic" } });
    await backend.close();
  }
});

test("a viewer sees forwarding and the keys page is not theirs; every forwarding action is refused", async ({
  browser,
  request,
}) => {
  const viewer = await createOperator(request, "viewer");
  const { endpoints } = await (await request.get("/api/forwarding")).json();
  const endpointId = endpoints[0].endpoint.id as string;
  const { messages } = await (
    await request.get(`/api/forwarding/${encodeURIComponent(endpointId)}/messages?limit=1`)
  ).json();
  const context = await browser.newContext({ baseURL: ORIGIN });
  const page = await context.newPage();
  await signIn(page.request, viewer);
  await page.goto(`/forwarding/${encodeURIComponent(endpointId)}`);
  await expect(page.getByTestId("message-rows")).toBeVisible();
  await expect(page.getByTestId("endpoint-actions")).toHaveCount(0);
  await page.goto(`/forwarding/messages/${messages[0].id}`);
  await expect(page.getByRole("button", { name: "Resend" })).toHaveCount(0);
  for (const [path, data] of [
    [`/api/forwarding/messages/${messages[0].id}/resend`, {}],
    [`/api/forwarding/${encodeURIComponent(endpointId)}/state`, { state: "paused" }],
    [`/api/forwarding/${encodeURIComponent(endpointId)}/test`, {}],
    [`/api/forwarding/${encodeURIComponent(endpointId)}/recover`, { since: new Date(0).toISOString() }],
    ["/api/settings/forwarding", { name: "x", url: "https://example.com/x" }],
    ["/api/settings/api-keys", { name: "x", scopes: ["events:read"] }],
  ] as const) {
    expect((await page.request.post(path, { ...write, data })).status(), path).toBe(403);
  }
  expect((await page.goto("/settings/api-keys"))?.status()).toBe(403);
  await context.close();
});

test("API keys: made with a scope, used for the feed, refused out of scope, refused once revoked", async ({
  page,
  request,
}) => {
  await page.goto("/settings/api-keys");
  const form = page.locator("form", { hasText: "Create an API key" });
  await form.getByLabel("Name").fill(`feed reader ${Date.now()}`);
  await form.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("api-key-shown").locator("code").textContent()) ?? "";
  expect(key).toMatch(/^sbc_/);
  const bearer = { headers: { authorization: `Bearer ${key}` } };
  const feed = await request.get("/api/v1/events?limit=5", bearer);
  expect(feed.status()).toBe(200);
  const page1 = await feed.json();
  expect(page1.data.length).toBeGreaterThan(0);
  const next = await request.get(
    `/api/v1/events?limit=5&after=${encodeURIComponent(page1.next_cursor)}`,
    bearer,
  );
  expect((await next.json()).data[0]?.id).not.toBe(page1.data[0].id);
  expect((await request.post("/api/skinsback/balance", { ...bearer, data: {} })).status()).toBe(403);
  expect((await request.get(`/api/v1/deposits/${page1.data[0].data.transaction_id}`, bearer)).status()).toBe(
    403,
  );
  // Last use is shown; Revoke asks first; the key is refused from the next request.
  await page.reload();
  const row = page.getByTestId("api-key-rows").locator("tr", { hasText: "feed reader" }).first();
  await expect(row).not.toContainText("never");
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await request.get("/api/v1/events?limit=5", bearer)).status()).toBe(401);
});
