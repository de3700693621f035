import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { parse as parseCsv } from "csv-parse/sync";
import { createOperator, DEMO_ADMIN, expect, ORIGIN, PAGES_WITHOUT_IDS, signIn, test } from "./support";

/**
 * The security group (issue 16) where a browser is the victim: the Content Security Policy on every page, a
 * framing page, the sign-in redirect, prefetching, cross-site exports, the form before hydration, the auth
 * endpoints, NUL parameters, the port. The server-side cases are in lib/security/attacks.test.ts.
 */

/** Collects the page's Content Security Policy violations (reported in the page, before any of our scripts). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
  });
  return async () => [
    ...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])),
    ...consoleErrors,
  ];
}

test("security #6: every page sends the headers and works under its CSP with no violation", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  const deposits = await (await page.request.get("/api/deposits?limit=1")).json();
  const pages = [...PAGES_WITHOUT_IDS, `/deposits/${encodeURIComponent(deposits.items[0].transactionId)}`];
  for (const path of pages) {
    const response = await page.goto(path);
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"], path).toMatch(
      /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/,
    );
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    // The theme script (inline, by nonce) ran, and React hydrated: the sign-out button works only then.
    await expect(page.locator("html")).toHaveAttribute("data-theme", /system|light|dark/);
    await page.waitForLoadState("networkidle");
    expect(await violations(), path).toEqual([]);
  }
  // Hydrated under the policy: a client-only control answers (the settings form's Save turns enabled).
  await page.goto("/settings/risk");
  await expect(page.getByRole("button", { name: "Save" })).toBeEnabled();
  expect(await violations()).toEqual([]);
});

test("security #6: the machine routes carry the fixed headers too", async ({ request }) => {
  for (const response of [
    await request.get("/api/health"),
    await request.post("/api/webhooks/skinsback", { data: "{}" }),
  ]) {
    expect(response.headers()["x-frame-options"]).toBe("DENY");
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  }
});

test("security #6: a same-site page that frames /holds gets nothing (no Approve button to click through it)", async ({
  page,
}) => {
  // Another port on the same host is the same site: the session cookie (SameSite=Lax) would go with the frame.
  const framing = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<!doctype html><title>win a knife</title><iframe src="${ORIGIN}/holds" width="800" height="600"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => framing.listen(0, "127.0.0.1", resolve));
  const { port } = framing.address() as AddressInfo;
  try {
    const framed = page.waitForResponse((r) => r.url() === `${ORIGIN}/holds`);
    await page.goto(`http://127.0.0.1:${port}/`);
    const answer = await framed;
    // It was the signed-in queue that answered, and the browser refused to show it in the frame.
    expect(answer.status()).toBe(200);
    expect(answer.headers()["x-frame-options"]).toBe("DENY");
    expect(answer.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    // The frame holds the browser's own error page, none of the console (and no Approve button).
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/);
    expect(await frame?.getByText(/approve|risk queue|sign in/i).count()).toBe(0);
  } finally {
    await new Promise((resolve) => framing.close(resolve));
  }
});

test("security #3: after sign-in only this console's own paths, never a 500", async ({ page, browser }) => {
  for (const next of [
    "/%09/evil.test/phish",
    "/%0a/evil.test",
    "/%0d/evil.test",
    "/%5Cevil.test",
    "/%E2%9C%93",
  ]) {
    // Signed in: the server redirects at once.
    const response = await page.goto(`/sign-in?next=${next}`);
    expect(response?.status(), next).toBe(next === "/%E2%9C%93" ? 404 : 200);
    expect(new URL(page.url()).origin).toBe(ORIGIN);
    expect(new URL(page.url()).host).not.toContain("evil");
  }
  // Signing in through the form: the client-side redirect stays on the console too.
  const context = await browser.newContext({ baseURL: ORIGIN });
  const anonymous = await context.newPage();
  await anonymous.goto("/sign-in?next=/%09/evil.test/phish");
  await anonymous.getByLabel("Email").fill(DEMO_ADMIN.email);
  await anonymous.getByLabel("Password").fill(DEMO_ADMIN.password);
  await anonymous.getByRole("button", { name: "Sign in" }).click();
  await expect(anonymous).toHaveURL(`${ORIGIN}/`);
  await context.close();
});

test("security #8: before hydration the sign-in form signs in by POST, and never puts the password in a URL", async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: ORIGIN, javaScriptEnabled: false });
  const page = await context.newPage();
  const requests: { url: string; method: string }[] = [];
  page.on("request", (r) => requests.push({ url: r.url(), method: r.method() }));
  await page.goto("/sign-in");
  await expect(page.locator("form")).toHaveAttribute("method", "post");
  await page.getByLabel("Email").fill(DEMO_ADMIN.email);
  await page.getByLabel("Password").fill(DEMO_ADMIN.password);
  await page.getByLabel("Password").press("Enter");
  await expect(page).toHaveURL(`${ORIGIN}/`);
  expect(
    requests.filter(
      (r) => r.url.includes("password") || r.url.includes(encodeURIComponent(DEMO_ADMIN.email)),
    ),
  ).toEqual([]);
  expect(requests.find((r) => r.url.endsWith("/api/auth/sign-in/form"))?.method).toBe("POST");
  await context.close();
});

test("security #4 and #5: stored text never becomes a link, and nothing prefetched or cross-site starts an export", async ({
  page,
  request,
}) => {
  const exports = async () =>
    (await (await request.get("/api/audit?action=deposit.export&limit=100")).json()).events.length as number;
  const before = await exports();
  // A refused request whose transaction_id is a path.
  const hostile = "../../api/deposits/export?status=fail";
  expect(
    (
      await request.post("/api/webhooks/skinsback", {
        data: { transaction_id: hostile, status: "success", sign: "0" },
      })
    ).status(),
  ).toBe(401);
  const hits: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes("/api/deposits/export")) hits.push(`${r.method()} ${r.url()}`);
  });
  for (const path of ["/webhooks", "/webhooks/failed", "/audit"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  await page.goto("/webhooks");
  await page.locator("tr[data-delivery-id] a").first().click();
  await page.waitForLoadState("networkidle");
  expect(hits).toEqual([]);
  for (const href of await page
    .locator("a[href]")
    .evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
    expect(href).not.toContain("..");
  }

  // A foreign page sends the browser to the export: a GET is no export (405), and nothing is audited.
  await page.goto("about:blank");
  await page.setContent(`<a id="go" href="${ORIGIN}/api/deposits/export?status=fail">win a knife</a>`);
  const [answer] = await Promise.all([page.waitForResponse(/\/api\/deposits\/export/), page.click("#go")]);
  expect(answer.status()).toBe(405);
  // A cross-site POST is refused by the origin check.
  const crossSite = await request.post("/api/deposits/export?status=fail", {
    headers: { origin: "https://evil.test" },
  });
  expect(crossSite.status()).toBe(403);
  expect(await exports()).toBe(before);

  // The console's own button still exports: a download, read back by a CSV reader.
  await page.goto("/deposits?status=fail");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  const rows = parseCsv(readFileSync((await download.path()) as string, "utf8")) as string[][];
  expect(rows[0]?.[4]).toBe("status");
  expect(rows.slice(1).every((r) => r[4] === "fail")).toBe(true);
  expect(await exports()).toBe(before + 1);
});

test("security #7: only the auth endpoints the console uses are served; wrong current passwords are limited", async ({
  request,
  playwright,
}) => {
  for (const [method, path] of [
    ["POST", "/api/auth/verify-password"],
    ["GET", "/api/auth/get-session"],
    ["POST", "/api/auth/sign-up/email"],
    ["POST", "/api/auth/change-password"],
    ["GET", "/api/auth/list-sessions"],
    ["POST", "/api/auth/request-password-reset"],
  ]) {
    const response = await request.fetch(path as string, { method, headers: { origin: ORIGIN }, data: {} });
    expect(response.status(), path).toBe(404);
  }
  const who = await createOperator(request, "viewer");
  const theirs = await playwright.request.newContext({ baseURL: ORIGIN });
  await signIn(theirs, who);
  const guess = (n: number) =>
    theirs.post("/api/account/password", {
      headers: { origin: ORIGIN },
      data: { currentPassword: `wrong-guess-${n}-long`, newPassword: `new-password-${n}-long` },
    });
  for (let i = 0; i < 10; i++) expect((await guess(i)).status()).toBe(400);
  const limited = await guess(10);
  expect(limited.status()).toBe(429);
  expect(limited.headers()["retry-after"]).toMatch(/^\d+$/);
  const audit = await (await request.get(`/api/audit?action=password.change&limit=20`)).json();
  expect(
    audit.events.filter(
      (e: { actorEmail: string; outcome: string }) => e.actorEmail === who.email && e.outcome === "refused",
    ).length,
  ).toBe(11);
  await theirs.dispose();
});

test("security #12: a NUL in any query parameter is a 400 naming it, on pages and routes", async ({
  request,
}) => {
  for (const [method, path, name] of [
    ["GET", "/deposits?q=%00", "q"],
    ["GET", "/audit?actor=%00", "actor"],
    ["GET", "/api/deposits?q=%00", "q"],
    ["POST", "/api/deposits/export?q=a%00", "q"],
    ["GET", "/webhooks?outcome=%00", "outcome"],
  ]) {
    const response = await request.fetch(path as string, { method, headers: { origin: ORIGIN } });
    expect(response.status(), path).toBe(400);
    expect((await response.json()).error).toContain(`"${name}"`);
  }
});

test("security #14: a server whose APP_ORIGIN names another port on this machine does not start", async () => {
  const port = String(Number(new URL(ORIGIN).port) + 7);
  const dataDir = mkdtempSync(path.join(tmpdir(), "console-port-"));
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        PORT: "",
        APP_ORIGIN: "http://127.0.0.1:3000",
        SKINSBACK_MODE: "sandbox",
        SANDBOX_SEED_DEPOSITS: "0",
        PGLITE_DATA_DIR: path.join(dataDir, "pglite"),
        DATABASE_URL: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, 45_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect(code, output).toBe(1);
  expect(output).toContain(`it names port 3000 on this machine, but the server listens on port ${port}`);
});
