import { test } from "@playwright/test";
import postgres from "postgres";
import { createPostgresDatabase } from "../lib/testing/databases";
import { TEST_CREDENTIALS } from "../lib/testing/notifications";
import { startProductionServer } from "../lib/testing/production-server";
import { builtRoutes } from "./route-manifest";
import { DEMO_ADMIN, expect, signIn } from "./support";

/**
 * The production build in live mode (test credentials, no outbound calls) on the PostgreSQL server: no demo
 * admin, no sandbox, a first-run page that works once.
 */
const PORT = 3219;
const API_KEY = "live-e2e-console-api-key-0123";
const SECRET = "live-e2e-auth-secret-0123456789abcdef0123";

test.describe.configure({ mode: "serial" });

let server: Awaited<ReturnType<typeof startProductionServer>>;
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;

test.beforeAll(async () => {
  database = await createPostgresDatabase();
  server = await startProductionServer({
    port: PORT,
    databaseUrl: database.url,
    env: { CONSOLE_API_KEY: API_KEY, CONSOLE_AUTH_SECRET: SECRET, CONSOLE_BENCH_ROUTES: "0" },
  });
});
test.afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

test("live mode: no demo admin anywhere, and the sandbox's routes are 404", async ({ page, playwright }) => {
  await page.goto(`${server.origin}/sign-in`);
  await expect(page.getByRole("heading", { name: /Sign in/ })).toBeVisible();
  await expect(page.getByTestId("demo-credentials")).toHaveCount(0);
  await expect(page.getByText(DEMO_ADMIN.password)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Create the first admin" })).toBeVisible();
  const anonymous = await playwright.request.newContext({ baseURL: server.origin, maxRedirects: 0 });
  const demo = await anonymous.post("/api/auth/sign-in/email", {
    headers: { origin: server.origin },
    data: DEMO_ADMIN,
  });
  expect(demo.status()).toBe(401);
  expect((await anonymous.get("/icon.svg")).status()).toBe(200); // the sign-in page's icon
  for (const route of builtRoutes().filter((r) => r.path.startsWith("/sandbox"))) {
    for (const method of ["GET", "POST"]) {
      const response = await anonymous.fetch(route.path, {
        method,
        data: method === "POST" ? "{}" : undefined,
      });
      expect(response.status(), `${method} ${route.path}`).toBe(404);
    }
  }
  expect(server.output()).not.toContain(DEMO_ADMIN.password);
  const sql = postgres(database.url, { max: 1 });
  expect(await sql`select email from operators`).toEqual([]);
  await sql.end();
  await anonymous.dispose();
});

test("/setup: two concurrent submissions make exactly one admin, then it is 404 for good", async ({
  playwright,
}) => {
  const context = await playwright.request.newContext({ baseURL: server.origin });
  const submit = (n: number) =>
    context.post("/api/setup", {
      headers: { origin: server.origin },
      data: { name: `Admin ${n}`, email: `admin${n}@live.test`, password: "first-admin-password" },
    });
  const answers = await Promise.all([submit(1), submit(2)]);
  expect(answers.map((a) => a.status()).sort()).toEqual([201, 404]);
  const sql = postgres(database.url, { max: 1 });
  const admins = await sql`select email, role from operators`;
  await sql.end();
  expect(admins).toHaveLength(1);
  expect(admins[0]?.role).toBe("admin");
  expect((await context.get("/setup")).status()).toBe(404);
  expect((await submit(3)).status()).toBe(404);

  // The admin signs in; the session token and secrets never reach the server's log.
  await signIn(
    context,
    { email: admins[0]?.email as string, password: "first-admin-password" },
    server.origin,
  );
  const token = decodeURIComponent(
    (await context.storageState()).cookies.find((c) => c.name.endsWith("session_token"))?.value ?? "",
  ).split(".")[0] as string;
  expect((await context.get("/api/deposits?limit=1")).status()).toBe(200);
  const output = server.output();
  for (const secret of [token, SECRET, API_KEY, "first-admin-password", TEST_CREDENTIALS.clientSecret])
    expect(output.includes(secret)).toBe(false);
  await context.dispose();
});

test("the crawl in live mode: nothing but the anonymous routes answers without a session", async ({
  playwright,
}) => {
  const anonymous = await playwright.request.newContext({ baseURL: server.origin, maxRedirects: 0 });
  const open = [
    "/api/webhooks/skinsback",
    "/api/health",
    "/sign-in",
    "/setup",
    "/api/setup",
    "/api/bench/baseline",
    "/icon.svg",
  ];
  const leaks: string[] = [];
  for (const route of builtRoutes()) {
    if (open.includes(route.path) || route.path.startsWith("/api/auth/")) continue;
    const response = await anonymous.get(route.path, { headers: { accept: "text/html" } });
    const status = response.status();
    const location = response.headers().location ?? "";
    const toSignIn = status >= 300 && status < 400 && location.includes("/sign-in");
    if (!(toSignIn || status === 401 || status === 404)) leaks.push(`${route.path} → ${status}`);
  }
  expect(leaks).toEqual([]);
  await anonymous.dispose();
});

test("sessions end after 30 idle minutes and 12 hours after sign-in, whatever the activity", async ({
  playwright,
}) => {
  const sql = postgres(database.url, { max: 1 });
  const [admin] = await sql`select email from operators where role = 'admin' limit 1`;
  const context = await playwright.request.newContext({ baseURL: server.origin });
  const who = { email: admin?.email as string, password: "first-admin-password" };
  await sql`delete from operator_sessions`; // only this test's sessions from here on
  for (const column of ["updated_at", "created_at"] as const) {
    await signIn(context, who, server.origin);
    expect((await context.get("/api/deposits?limit=1")).status()).toBe(200);
    const age = column === "updated_at" ? "31 minutes" : "12 hours 1 minute";
    // Every session of this admin is made to look old: idle (last used 31 min ago) or past the absolute limit.
    await sql`update operator_sessions set ${sql(column)} = now() - ${age}::interval`;
    expect((await context.get("/api/deposits?limit=1")).status(), column).toBe(401);
  }
  expect(await sql`select id from operator_sessions`).toEqual([]); // expired sessions are deleted when presented
  await sql.end();
  await context.dispose();
});
