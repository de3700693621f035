import { type APIRequestContext, test as base, expect, request } from "@playwright/test";
import { SANDBOX_DEMO_ADMIN } from "../lib/auth/operators";
import type { OperatorRole } from "../lib/auth/roles";

/** What the e2e server runs at (playwright.config.ts). */
export const ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;
export const API_KEY = process.env.CONSOLE_API_KEY ?? "e2e-console-api-key-0123456789";

/** The console's pages that need no id (the deposit and delivery pages are added from live data). */
export const PAGES_WITHOUT_IDS = [
  "/",
  "/deposits",
  "/webhooks",
  "/webhooks/failed",
  "/api-calls",
  "/audit",
  "/settings/operators",
  "/settings/risk",
  "/holds",
  "/holds/exposure",
  "/forwarding",
  "/settings/forwarding",
  "/settings/api-keys",
  "/settings/retention",
  "/settings/alerts",
  "/reconciliation",
  "/alerts",
  "/sandbox",
  "/account/password",
  "/no-such-page",
];

export type Credentials = { email: string; password: string };
export const DEMO_ADMIN: Credentials = {
  email: SANDBOX_DEMO_ADMIN.email,
  password: SANDBOX_DEMO_ADMIN.password,
};

/** Signs `request`'s cookie jar in (a page's `page.request` shares the page's cookies). */
export async function signIn(request: APIRequestContext, who: Credentials, origin = ORIGIN) {
  const response = await request.post(`${origin}/api/auth/sign-in/email`, {
    headers: { origin },
    data: { email: who.email, password: who.password },
  });
  expect(response.status(), await response.text()).toBe(200);
  return response;
}

let counter = 0;
/**
 * A new operator with `role`, created by a signed-in admin, who has already swapped the one-time password for
 * their own (until then they may do nothing else). Answers their credentials.
 */
export async function createOperator(admin: APIRequestContext, role: OperatorRole): Promise<Credentials> {
  counter += 1;
  const email = `${role}-${Date.now()}-${counter}@e2e.test`;
  const response = await admin.post("/api/operators", {
    headers: { origin: ORIGIN },
    data: { name: `E2E ${role}`, email, role },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { oneTimePassword } = await response.json();
  const password = `${oneTimePassword}-chosen-by-${role}`;
  const theirs = await request.newContext({ baseURL: ORIGIN });
  await signIn(theirs, { email, password: oneTimePassword });
  const changed = await theirs.post("/api/account/password", {
    headers: { origin: ORIGIN },
    data: { currentPassword: oneTimePassword, newPassword: password },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  await theirs.dispose();
  return { email, password };
}

/** `page` (and `request`, sharing its cookies) signed in as the sandbox's demo admin. */
export const test = base.extend({
  page: async ({ page }, use) => {
    await signIn(page.request, DEMO_ADMIN);
    await use(page);
  },
  request: async ({ page }, use) => {
    await use(page.request);
  },
});

export { expect };
