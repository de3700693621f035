import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { SANDBOX_CREDENTIALS } from "../lib/config";
import { builtRoutes } from "./route-manifest";
import { API_KEY, createOperator, DEMO_ADMIN, expect, ORIGIN, signIn, test } from "./support";

/**
 * Who may reach what, crawled over every route of the production build rather than a hand-picked list. Written
 * from the list of anonymous routes, not from lib/auth/route-policy.ts, so that a wrong rule fails here.
 */
const ANONYMOUS: Array<string | RegExp> = [
  "/api/webhooks/skinsback",
  "/api/health",
  "/sign-in",
  "/setup",
  "/api/setup",
  /^\/api\/auth\//,
  // Sandbox mode: stand-ins for SkinsBack's side.
  "/sandbox/api.php",
  /^\/sandbox\/pay\//,
  "/sandbox/failing-result-url",
  // The demo receiver: the merchant's backend in sandbox mode (it checks signatures itself).
  "/sandbox/merchant",
  // The app's icon (the sign-in page shows it).
  "/icon.svg",
  // Answers 404 unless CONSOLE_BENCH_ROUTES=1.
  "/api/bench/baseline",
  // Prometheus: checks CONSOLE_METRICS_TOKEN itself, 404 while it is unset (as on this server).
  "/api/metrics",
];
const isAnonymous = (p: string) => ANONYMOUS.some((a) => (typeof a === "string" ? a === p : a.test(p)));
const WRITES = ["POST", "PUT", "PATCH", "DELETE"] as const;

test("the crawl: with no session, every route but the anonymous ones redirects to sign-in or answers 401/404", async ({
  playwright,
}) => {
  const routes = builtRoutes();
  expect(routes.length).toBeGreaterThan(15);
  const anonymous = await playwright.request.newContext({ baseURL: ORIGIN, maxRedirects: 0 });
  const leaks: string[] = [];
  let checked = 0;
  for (const route of routes) {
    if (isAnonymous(route.path)) continue;
    const methods = route.kind === "page" ? ["GET"] : ["GET", ...WRITES];
    for (const method of methods) {
      const response = await anonymous.fetch(route.path, {
        method,
        headers: { accept: route.kind === "page" ? "text/html" : "application/json", origin: ORIGIN },
        data: method === "GET" ? undefined : "{}",
      });
      checked += 1;
      const status = response.status();
      const location = response.headers().location ?? "";
      const toSignIn = status >= 300 && status < 400 && new URL(location, ORIGIN).pathname === "/sign-in";
      if (!(toSignIn || status === 401 || status === 404)) leaks.push(`${method} ${route.path} → ${status}`);
      if (status === 200)
        leaks.push(`${method} ${route.path} answered content: ${(await response.text()).slice(0, 80)}`);
    }
  }
  expect(leaks).toEqual([]);
  expect(checked).toBeGreaterThan(30);
  await anonymous.dispose();
});

/**
 * POSTs any signed-in operator may make: about themselves (not about deposits, operators or settings), and the
 * CSV export — a read, made a POST so that no cross-site page can start it.
 */
const OPEN_TO_VIEWERS = ["/api/account/password", "/api/deposits/export", "/api/reconciliation/export"];

test("the crawl: a viewer's cookie is refused (403) by every state-changing route", async ({
  request,
  playwright,
}) => {
  const viewer = await createOperator(request, "viewer");
  const context = await playwright.request.newContext({ baseURL: ORIGIN, maxRedirects: 0 });
  await signIn(context, viewer);
  const accepted: string[] = [];
  for (const route of builtRoutes().filter((r) => r.kind === "route" && !isAnonymous(r.path))) {
    if (OPEN_TO_VIEWERS.includes(route.path)) continue;
    for (const method of WRITES) {
      const response = await context.fetch(route.path, { method, headers: { origin: ORIGIN }, data: "{}" });
      // 405: the route has no such method at all.
      if (![403, 405].includes(response.status()))
        accepted.push(`${method} ${route.path} → ${response.status()}`);
    }
  }
  expect(accepted).toEqual([]);
  await context.dispose();
});

test("each role signs in and sees what it may do; a viewer gets no action buttons and 403 from the actions", async ({
  page,
  request,
  browser,
}) => {
  // The demo admin (this page) sees the admin pages.
  await page.goto("/deposits");
  await expect(page.getByTestId("signed-in-operator")).toContainText("admin");
  await page.getByRole("navigation", { name: "Console" }).getByText("Settings ▾").click();
  await expect(page.getByRole("link", { name: "Operators" })).toBeVisible();
  await page.goto("/settings/operators");
  await expect(page.getByRole("heading", { name: "Operators" })).toBeVisible();

  const operator = await createOperator(request, "operator");
  const viewer = await createOperator(request, "viewer");

  // The operator: switches are controls, admin pages are not theirs.
  const operatorContext = await browser.newContext({ baseURL: ORIGIN });
  const operatorPage = await operatorContext.newPage();
  await operatorPage.goto("/sign-in");
  await operatorPage.getByLabel("Email").fill(operator.email);
  await operatorPage.getByLabel("Password").fill(operator.password);
  await operatorPage.getByRole("button", { name: "Sign in" }).click();
  await expect(operatorPage).toHaveURL(`${ORIGIN}/`);
  await expect(operatorPage.getByTestId("signed-in-operator")).toContainText("operator");
  await expect(operatorPage.getByRole("link", { name: "Operators" })).toHaveCount(0);
  await operatorPage.goto("/sandbox");
  await expect(operatorPage.getByLabel("Duplicate delivery")).toBeVisible();
  const adminPage = await operatorPage.goto("/settings/operators");
  expect(adminPage?.status()).toBe(403);
  await operatorContext.close();

  // The viewer: reads, sees no controls, and is refused when calling the actions directly.
  const viewerContext = await browser.newContext({ baseURL: ORIGIN });
  const viewerPage = await viewerContext.newPage();
  await viewerPage.goto("/sandbox");
  await expect(viewerPage).toHaveURL(/\/sign-in\?next=%2Fsandbox$/);
  await viewerPage.getByLabel("Email").fill(viewer.email);
  await viewerPage.getByLabel("Password").fill(viewer.password);
  await viewerPage.getByRole("button", { name: "Sign in" }).click();
  await expect(viewerPage).toHaveURL(/\/sandbox$/); // back where they were going
  await expect(viewerPage.getByTestId("switch-state-liveTraffic")).toBeVisible();
  await expect(viewerPage.locator("main").getByRole("button")).toHaveCount(0);
  await expect(viewerPage.locator("main").getByRole("checkbox")).toHaveCount(0);
  await viewerPage.goto("/deposits");
  await expect(viewerPage.locator("tbody[data-testid=deposit-rows] tr").first()).toBeVisible();
  // Only the filter form's own buttons (the export is a read): nothing that acts.
  await expect(viewerPage.locator("main").getByRole("button")).toHaveText(["Filter", "Export CSV"]);
  const before = await request.get("/sandbox/control").then((r) => r.json());
  const refused = [
    await viewerPage.request.post("/sandbox/control", {
      headers: { origin: ORIGIN },
      data: { duplicate: !before.duplicate },
    }),
    await viewerPage.request.post("/api/skinsback/balance", { headers: { origin: ORIGIN }, data: {} }),
    await viewerPage.request.post("/api/operators", {
      headers: { origin: ORIGIN },
      data: { name: "Sneaky", email: "sneaky@e2e.test", role: "admin" },
    }),
    await viewerPage.request.patch(`/api/operators/${encodeURIComponent("x")}`, {
      headers: { origin: ORIGIN },
      data: { role: "admin" },
    }),
  ];
  expect(refused.map((r) => r.status())).toEqual([403, 403, 403, 403]);
  expect(await request.get("/sandbox/control").then((r) => r.json())).toEqual(before);
  await viewerContext.close();
});

test("sign-out ends the session on the server: the old cookie is refused afterwards", async ({
  playwright,
}) => {
  const context = await playwright.request.newContext({ baseURL: ORIGIN });
  await signIn(context, DEMO_ADMIN);
  const cookie = (await context.storageState()).cookies.find((c) => c.name.endsWith("session_token"));
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  const header = { cookie: `${cookie?.name}=${cookie?.value}` };
  expect((await context.get("/api/deposits?limit=1")).status()).toBe(200);
  expect((await context.post("/api/auth/sign-out", { headers: { origin: ORIGIN }, data: {} })).status()).toBe(
    200,
  );
  // Replay the old cookie by hand: the session is gone from the database.
  const replay = await playwright.request.newContext({ baseURL: ORIGIN });
  expect((await replay.get("/api/deposits?limit=1", { headers: header })).status()).toBe(401);
  // Signing in again makes a new session, never the old one back; both acts are in the audit log.
  await signIn(context, DEMO_ADMIN);
  const renewed = (await context.storageState()).cookies.find((c) => c.name.endsWith("session_token"));
  expect(renewed?.value.split(".")[0]).not.toBe(cookie?.value.split(".")[0]);
  const audit = await (
    await context.get(`/api/audit?actor=${encodeURIComponent(DEMO_ADMIN.email)}&limit=3`)
  ).json();
  expect(audit.events.map((e: { action: string }) => e.action)).toEqual(["sign-in", "sign-out", "sign-in"]);
  await Promise.all([context.dispose(), replay.dispose()]);
});

test("eleven wrong passwords: the limit answers with the wait, and a right password during the lock is refused", async ({
  request,
  playwright,
  browser,
}) => {
  const victim = await createOperator(request, "viewer");
  const context = await playwright.request.newContext({ baseURL: ORIGIN });
  const attempt = (password: string) =>
    context.post("/api/auth/sign-in/email", {
      headers: { origin: ORIGIN },
      data: { email: victim.email, password },
    });
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await attempt(`wrong-password-${i}`)).status());
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
  expect(statuses[10]).toBe(429);
  const locked = await attempt(victim.password);
  expect(locked.status()).toBe(429);
  expect(Number(locked.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await locked.json()).message).toMatch(/Too many attempts, try again in \d+ s/);

  // The sign-in page shows the same message.
  const page = await browser.newPage({ baseURL: ORIGIN });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(victim.email);
  await page.getByLabel("Password").fill(victim.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toContainText(
    /Too many attempts, try again in \d+ s/,
  );
  await page.close();

  // Every attempt is in the audit log.
  const audit = await (
    await request.get(`/api/audit?actor=${encodeURIComponent(victim.email)}&limit=50`)
  ).json();
  const actions = audit.events.map((e: { action: string }) => e.action);
  expect(actions.filter((a: string) => a === "sign-in.failed")).toHaveLength(10);
  expect(actions.filter((a: string) => a === "sign-in.locked").length).toBeGreaterThanOrEqual(3);
  await context.dispose();
});

test("a cross-origin POST, one with Origin: null and one with no Origin are refused (403) and change nothing", async ({
  request,
  playwright,
}) => {
  const state = await (await request.fetch("/sandbox/control")).json();
  const storage = await request.storageState();
  for (const origin of ["https://evil.example", "null", undefined]) {
    const context = await playwright.request.newContext({ baseURL: ORIGIN, storageState: storage });
    const headers: Record<string, string> = origin ? { origin } : {};
    const switches = await context.post("/sandbox/control", {
      headers,
      data: { duplicate: !state.duplicate },
    });
    expect(switches.status(), `Origin ${origin}`).toBe(403);
    const created = await context.post("/api/operators", {
      headers,
      data: {
        name: "CSRF",
        email: `csrf-${origin ?? "none"}@e2e.test`.replace(/[^a-z0-9@.-]/g, ""),
        role: "admin",
      },
    });
    expect(created.status()).toBe(403);
    await context.dispose();
  }
  expect(await (await request.fetch("/sandbox/control")).json()).toEqual(state);
  const operators = await (await request.get("/api/operators")).json();
  expect(operators.operators.some((o: { email: string }) => o.email.startsWith("csrf-"))).toBe(false);
});

test("the admin creates, demotes and disables operators; a disabled operator's session ends at once", async ({
  page,
  request,
  playwright,
  browser,
}) => {
  await page.goto("/settings/operators");
  const email = `new-${Date.now()}@e2e.test`;
  await page.getByLabel("Name").fill("New Operator");
  await page.getByLabel("Email").fill(email);
  await page.locator("select[name=role]").selectOption("operator");
  await page.getByRole("button", { name: "Create operator" }).click();
  const handOver = page.getByTestId("one-time-password");
  await expect(handOver).toContainText(email);
  const password = (await handOver.locator("code").textContent())?.trim() ?? "";
  expect(password.length).toBeGreaterThanOrEqual(12);

  // The one-time password opens nothing but the password change: routes answer 403, pages lead there.
  const theirs = await playwright.request.newContext({ baseURL: ORIGIN });
  await signIn(theirs, { email, password });
  const blocked = await theirs.get("/api/deposits?limit=1");
  expect(blocked.status()).toBe(403);
  expect((await blocked.json()).error).toMatch(/choose your own password/);
  const theirPage = await browser.newPage({ baseURL: ORIGIN });
  await theirPage.goto("/sign-in");
  await theirPage.getByLabel("Email").fill(email);
  await theirPage.getByLabel("Password").fill(password);
  await theirPage.getByRole("button", { name: "Sign in" }).click();
  await expect(theirPage).toHaveURL(/\/account\/password$/);
  await expect(theirPage.getByRole("status")).toContainText("one-time password");
  await theirPage.getByLabel("Current password").fill(password);
  await theirPage.getByLabel("New password").fill("my-own-new-password-42");
  await theirPage.getByRole("button", { name: "Save the new password" }).click();
  await expect(theirPage).toHaveURL(`${ORIGIN}/`);
  await theirPage.close();
  // Choosing a password signed the other session out; the new password works.
  expect((await theirs.get("/api/deposits?limit=1")).status()).toBe(401);
  await signIn(theirs, { email, password: "my-own-new-password-42" });
  expect((await theirs.get("/api/deposits?limit=1")).status()).toBe(200);

  page.on("dialog", (dialog) => dialog.accept());
  const row = page.locator(`tr[data-email="${email}"]`);
  await row.getByRole("button", { name: "Disable" }).click();
  await expect(row).toContainText("disabled");
  expect((await theirs.get("/api/deposits?limit=1")).status()).toBe(401);
  const again = await theirs.post("/api/auth/sign-in/email", {
    headers: { origin: ORIGIN },
    data: { email, password: "my-own-new-password-42" },
  });
  expect(again.status()).toBe(403);
  expect((await again.json()).message).toMatch(/disabled/);

  // The last admin cannot demote or disable themselves.
  const me = (await (await request.get("/api/operators")).json()).operators.filter(
    (o: { role: string; disabledAt: string | null }) => o.role === "admin" && !o.disabledAt,
  );
  if (me.length === 1) {
    const demote = await request.patch(`/api/operators/${me[0].id}`, {
      headers: { origin: ORIGIN },
      data: { role: "viewer" },
    });
    expect(demote.status()).toBe(409);
    expect((await demote.json()).error).toMatch(/last admin/);
  }
  const audit = await (await request.get("/api/audit?action=operator.disable&limit=5")).json();
  expect(audit.events[0]).toMatchObject({ actorEmail: DEMO_ADMIN.email, outcome: "ok" });
  await theirs.dispose();
});

test("no client secret, API key or session token reaches the browser: bundle, pages' HTML and JSON", async ({
  page,
  request,
}) => {
  const cookie = (await request.storageState()).cookies.find((c) => c.name.endsWith("session_token"));
  const token = decodeURIComponent(cookie?.value ?? "").split(".")[0] as string;
  expect(token.length).toBeGreaterThan(20);
  // Every file the browser can load: the client secret, the proxy key and the session token are in none.
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(process.cwd(), ".next/static"));
  expect(files.some((f) => f.endsWith(".js"))).toBe(true);
  for (const file of files) {
    const content = readFileSync(file, "utf8");
    expect(content.includes(SANDBOX_CREDENTIALS.clientSecret), file).toBe(false);
    expect(content.includes(API_KEY), file).toBe(false);
    expect(content.includes(token), file).toBe(false);
  }
  const seen: string[] = [];
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (/json|html|x-component|text/.test(type)) seen.push(await response.text().catch(() => ""));
  });
  for (const target of ["/deposits", "/sandbox", "/settings/operators", "/audit"]) {
    await page.goto(target);
    await page.waitForLoadState("networkidle");
  }
  const signInAnswer = await (await signIn(page.request, DEMO_ADMIN)).text();
  seen.push(signInAnswer);
  expect(seen.length).toBeGreaterThan(4);
  for (const body of seen) {
    expect(body.includes(API_KEY)).toBe(false);
    expect(body.includes(token)).toBe(false);
  }
  const newToken = decodeURIComponent(
    (await page.context().cookies()).find((c) => c.name.endsWith("session_token"))?.value ?? "",
  ).split(".")[0] as string;
  expect(signInAnswer.includes(newToken)).toBe(false);
});

test("the shell: fits a 390 px phone and a 1280 px screen, and the theme follows the system until toggled", async ({
  page,
}) => {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/deposits");
    await expect(page.getByTestId("mode-badge")).toHaveText("Sandbox");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    // On a phone the links are one Menu away.
    if (width === 390) await page.getByRole("navigation", { name: "Console" }).getByText("Menu").click();
    await expect(
      page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Deposits" }),
    ).toBeVisible();
    // A phone gets one card per deposit (status and amount first), a screen the table.
    const cards = page.getByTestId("deposit-cards").locator("li");
    const table = page.locator("tbody[data-testid=deposit-rows]");
    if (width === 390) {
      await expect(cards.first()).toBeVisible();
      await expect(cards.first().locator("[data-status]")).toBeVisible();
      await expect(table).toBeHidden();
    } else {
      await expect(table.locator("tr").first()).toBeVisible();
      await expect(cards.first()).toBeHidden();
    }
    // Nothing but the tables (which scroll inside their own box) may be wider than the screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `at ${width} px`).toBeLessThanOrEqual(0);
  }
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  const toggle = page.getByTestId("theme-toggle");
  await expect(toggle).toHaveText("Theme: system");
  await toggle.click(); // light
  await toggle.click(); // dark, whatever the system says
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByTestId("theme-toggle")).toHaveText("Theme: dark");
});

test("the audit log page: an admin filters by action and sees who did what from where", async ({
  page,
  request,
}) => {
  const created = await createOperator(request, "viewer");
  await page.goto("/audit");
  await page.locator("select[name=action]").selectOption("operator.create");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=operator.create/);
  const rows = page.locator("tbody[data-testid=audit-rows] tr");
  await expect(rows.first()).toContainText(created.email);
  const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action")));
  expect(new Set(actions)).toEqual(new Set(["operator.create"]));
  await expect(rows.first()).toContainText(DEMO_ADMIN.email);
  await expect(rows.first()).toContainText("127.0.0.1");
});

test("/api/metrics does not exist while CONSOLE_METRICS_TOKEN is unset, whatever the caller", async ({
  request,
}) => {
  expect((await request.get("/api/metrics")).status()).toBe(404);
  expect(
    (await request.get("/api/metrics", { headers: { authorization: `Bearer ${API_KEY}` } })).status(),
  ).toBe(404);
});

test("sign-in works on the first Enter, with no JavaScript at all, and keeps the safe next", async ({
  browser,
  request,
}) => {
  const viewer = await createOperator(request, "viewer");
  // JavaScript off: what a person meets before hydration, the moment the page shows.
  const context = await browser.newContext({ baseURL: ORIGIN, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/sign-in?next=%2Fdeposits");
  await page.getByLabel("Email").fill(viewer.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByLabel("Password").press("Enter");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdeposits&error=invalid$/);
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
  await page.getByLabel("Email").fill(viewer.email);
  await page.getByLabel("Password").fill(viewer.password);
  await page.getByLabel("Password").press("Enter");
  await expect(page).toHaveURL(`${ORIGIN}/deposits`);
  // An error code from a link says only our own words; anything else says nothing.
  await page.goto("/sign-in?error=Call%20%2B1%20555%200100");
  await expect(page.locator("form").getByRole("alert")).toHaveCount(0);
  await context.close();
});

test("anonymous sign-in reads at most 4 KB: a 2 MB body is 413 and nothing is recorded", async ({
  request,
}) => {
  const big = "x".repeat(2 * 1024 * 1024);
  for (const path of ["/api/auth/sign-in/email", "/api/auth/sign-in/form"]) {
    const response = await request.post(path, {
      headers: { origin: ORIGIN, "content-type": "application/json" },
      data: JSON.stringify({ email: "someone@example.test", password: big }),
    });
    expect(response.status(), path).toBe(413);
  }
});

test("every navigation item is reachable at 390, 1280 and 1440 px: on screen, or one menu away", async ({
  page,
}) => {
  const labels = [
    "Overview",
    "Deposits",
    "Risk queue",
    "Failed notifications",
    "Delivery log",
    "API calls",
    "Forwarding",
    "Reconciliation",
    "Alerts",
    "Sandbox",
    "Audit log",
    "Operators",
    "Risk settings",
    "Endpoints",
    "API keys",
    "Alert channels",
    "Retention",
  ];
  for (const width of [390, 1280, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/deposits");
    const nav = page.getByRole("navigation", { name: "Console" });
    await nav.getByText(width < 640 ? "Menu" : "Settings ▾").click();
    for (const label of labels) {
      const link = nav.getByRole("link", { name: label, exact: true });
      await expect(link, `${label} at ${width} px`).toBeVisible();
      const box = await link.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= width, `${label} inside the page at ${width} px`).toBe(
        true,
      );
    }
    // A settings page is one click away, and the menu closes behind it.
    await nav.getByRole("link", { name: "Retention", exact: true }).click();
    await expect(page).toHaveURL(/\/settings\/retention$/);
  }
});
