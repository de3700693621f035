import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { SANDBOX_CREDENTIALS } from "../lib/config";
import {
  encodeNotification,
  notificationHeaders,
  signNotification,
} from "../lib/skinsback/notification-builder";
import { API_KEY, expect, ORIGIN, test } from "./support";

/**
 * Reconciliation and alerts end to end: an admin sets up a signed JSON channel with a test send before saving;
 * a deposit whose notification SkinsBack never delivered is found by "Run now" and fixed on its timeline; a
 * deposit SkinsBack never made is flagged, the rule opens an incident, the channel is told, an operator
 * acknowledges it, and deciding the difference resolves it.
 */
test.describe.configure({ mode: "serial" });

const write = { headers: { origin: ORIGIN } };
type Alert = { type: string; data: { title: string; incident: { rule: string } | null } };

async function startAlertReceiver() {
  const received: Alert[] = [];
  let secret = "";
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      received.push(new Webhook(secret).verify(body, req.headers as Record<string, string>) as Alert);
      res.writeHead(204).end();
    } catch {
      // The test send comes before the secret is known here: accepted, and checked once it is.
      received.push({
        ...(JSON.parse(body) as Alert),
        type: `unverified:${(JSON.parse(body) as Alert).type}`,
      });
      res.writeHead(204).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    received,
    setSecret: (s: string) => {
      secret = s;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test("a JSON channel is tested before it is saved, then a missing deposit and a forged one go through reconciliation and alerts", async ({
  page,
  request,
}) => {
  const receiver = await startAlertReceiver();
  try {
    // 1. The channel: Save is offered only once the test send was accepted; the generated secret shows.
    await page.goto("/settings/alerts");
    const form = page.getByTestId("channel-form");
    await form.getByLabel("Name").fill(`ops hook ${Date.now()}`);
    await form.getByLabel("Kind").selectOption("webhook");
    await form.getByLabel("URL that takes the alerts' JSON").fill(receiver.url);
    await form.getByLabel(/internal network/).check();
    await expect(form.getByRole("button", { name: "Save channel" })).toBeDisabled();
    // The secret first, given to the receiver before the test: the very first message verifies.
    await form.getByRole("button", { name: "Generate" }).click();
    const secret = await form.getByLabel(/Signing secret/).inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.setSecret(secret);
    await form.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByTestId("test-arrived")).toBeVisible();
    expect(receiver.received.map((r) => r.type)).toContain("alert.test");
    await form.getByRole("button", { name: "Save channel" }).click();
    await expect(page.getByTestId("alert-secret")).toContainText(secret);
    await expect(page.getByText(`signed JSON to ${receiver.url}`)).toBeVisible();

    // 2. SkinsBack holds its notifications: a new deposit never reaches the console.
    expect(
      (await request.post("/sandbox/control", { ...write, data: { holdNotifications: true } })).status(),
    ).toBe(200);
    const created = await request.post("/api/skinsback/create", {
      headers: { authorization: `Bearer ${API_KEY}` },
      data: { order_id: `reconcile-e2e-${Date.now()}`, steam_id: "76561198000000778", currency: "usd" },
    });
    expect(created.status(), await created.text()).toBe(200);
    const missing = String((await created.json()).result.transaction_id);
    expect((await request.get(`/api/v1/deposits/${missing}`)).status()).toBe(404);

    // 3. A deposit SkinsBack never made, in a notification signed with the (sandbox's, public) secret.
    const forged = String(990_000_000 + Math.floor(Math.random() * 1_000_000));
    const fields = signNotification(
      {
        status: "success",
        transaction_id: forged,
        order_id: `forged-${forged}`,
        amount: "500.00",
        amount_currency: "usd",
        date: Math.floor(Date.now() / 1000),
      },
      SANDBOX_CREDENTIALS.clientSecret,
    );
    const { body, contentType } = encodeNotification(fields, "json");
    const posted = await request.post("/api/webhooks/skinsback", {
      headers: notificationHeaders(
        SANDBOX_CREDENTIALS.clientId,
        SANDBOX_CREDENTIALS.clientSecret,
        contentType,
      ),
      data: body,
    });
    expect(posted.status(), await posted.text()).toBe(200);

    // 4. Run now: the missing deposit is applied (and listed, resolved), the forged one flagged.
    await page.goto("/reconciliation");
    await page.getByRole("button", { name: "Run now" }).click();
    await expect(page.getByRole("status")).toContainText(/Started|Finished/);
    await expect(page.getByTestId(`difference-${forged}`)).toBeVisible({ timeout: 30_000 });
    // Once the run is over the notice says so (it no longer claims a comparison is going on).
    await expect(page.getByRole("status")).toContainText("Finished", { timeout: 30_000 });
    // The totals' two lines say whose they are.
    await expect(page.getByTestId("reconcile-runs").locator("tbody tr").first()).toContainText("SkinsBack:");
    await expect(page.getByTestId("reconcile-runs").locator("tbody tr").first()).toContainText("Console:");
    await expect(page.getByTestId(`difference-${forged}`)).toContainText("Unknown at SkinsBack");
    await page.goto("/reconciliation?state=resolved");
    const fixed = page.getByTestId(`difference-${missing}`);
    await expect(fixed).toContainText("Missing here (applied)");
    await expect(fixed).toContainText(/applied by reconciliation run \d+/);
    await fixed.getByRole("link", { name: missing }).click();
    await expect(page).toHaveURL(new RegExp(`/deposits/${missing}$`));
    await expect(page.getByText("via reconcile")).toBeVisible();

    // 5. The rule opens one incident and the channel hears it, verified.
    await expect
      .poll(
        () =>
          receiver.received.filter(
            (r) => r.type === "alert.opened" && r.data.incident?.rule === "reconciliation",
          ).length,
        { timeout: 30_000 },
      )
      .toBe(1);
    await page.goto("/alerts");
    const incident = page.getByTestId("incident-reconciliation");
    await expect(incident.getByTestId("incident-state")).toHaveText("open");
    await incident.getByLabel("Acknowledgement note").fill("looking at the forged deposit");
    await incident.getByRole("button", { name: "Acknowledge" }).click();
    await expect(incident.getByTestId("incident-state")).toHaveText("acknowledged");
    await expect(incident).toContainText("acknowledged by");
    const audit = await (await request.get("/api/audit?action=alert.acknowledge")).json();
    expect(audit.events[0]).toMatchObject({ action: "alert.acknowledge", outcome: "ok" });

    // 6. The difference is decided (ignored: it was this test): the incident resolves, and the channel is told once.
    await page.goto("/reconciliation");
    const row = page.getByTestId(`difference-${forged}`);
    await row.getByRole("button", { name: "Decide…" }).click();
    await row.getByRole("combobox").selectOption("ignored");
    await row.getByLabel("Note").fill("forged by the end-to-end test");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId(`difference-${forged}`)).toHaveCount(0);
    // Other specs' signed test deposits (the pages crawl's widest row) are unknown at SkinsBack too: decided here.
    const open = (await (await request.get("/api/reconciliation")).json()) as {
      differences: { id: number }[];
    };
    for (const d of open.differences) {
      const decided = await request.post("/api/reconciliation/decide", {
        ...write,
        data: { id: d.id, state: "ignored", note: "made by the end-to-end tests" },
      });
      expect(decided.status(), await decided.text()).toBe(200);
    }
    await expect
      .poll(
        () =>
          receiver.received.filter(
            (r) => r.type === "alert.resolved" && r.data.incident?.rule === "reconciliation",
          ).length,
        { timeout: 30_000 },
      )
      .toBe(1);
    await page.goto("/alerts?state=resolved");
    await expect(
      page.getByTestId("incident-reconciliation").first().getByTestId("incident-state"),
    ).toHaveText("resolved");
  } finally {
    await request.post("/sandbox/control", { ...write, data: { holdNotifications: false } });
    await receiver.close();
  }
});

test("saving the alert rules keeps the watchdog times the admin set", async ({ request }) => {
  const before = await (await request.get("/api/settings/alerts")).json();
  const watchdog = { pendingMinutes: 77, holdGraceMinutes: 33 };
  const saved = await request.put("/api/settings/alerts/rules", {
    ...write,
    data: { rules: before.rules, reminderMinutes: before.reminderMinutes, watchdog },
  });
  expect(saved.status()).toBe(200);
  const after = await (await request.get("/api/settings/alerts")).json();
  expect(after.watchdog).toEqual(watchdog);
  // Put back what was there, for the tests that read the watchdog's times.
  await request.put("/api/settings/alerts/rules", {
    ...write,
    data: { rules: before.rules, reminderMinutes: before.reminderMinutes, watchdog: before.watchdog },
  });
});
