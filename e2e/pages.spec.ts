import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { SANDBOX_CREDENTIALS } from "../lib/config";
import { encodeNotification, signNotification } from "../lib/skinsback/notification-builder";
import { xSign } from "../lib/skinsback/signature";
import { expect, PAGES_WITHOUT_IDS, test } from "./support";

/**
 * Every page of the console, as operators see it: no serious or critical accessibility violation (axe-core) in
 * light and dark, no sideways scrolling on a 390 px phone; a page with a problem is kept as a full-page screenshot
 * (test-results/screenshots/).
 */

async function samplePaths(page: Page): Promise<string[]> {
  const deposits = await (await page.request.get("/api/deposits?limit=1")).json();
  const transactionId = deposits.items[0]?.transactionId as string;
  await page.goto("/webhooks");
  const delivery = await page.locator("tr[data-delivery-id] a").first().getAttribute("href");
  // The sandbox's demo receiver is an endpoint from the first start; its log has messages by now.
  const { endpoints } = await (await page.request.get("/api/forwarding")).json();
  const endpointId = endpoints[0]?.endpoint.id as string;
  const { messages } = await (
    await page.request.get(`/api/forwarding/${encodeURIComponent(endpointId)}/messages?limit=1`)
  ).json();
  return [
    ...PAGES_WITHOUT_IDS,
    `/deposits/${encodeURIComponent(transactionId)}`,
    delivery ?? "/webhooks",
    `/forwarding/${encodeURIComponent(endpointId)}`,
    // The demo receiver gets changes only from when the seeded history has arrived: there may be none yet.
    ...(messages[0] ? [`/forwarding/messages/${messages[0].id}`] : []),
  ];
}

const WIDTHS = [1280, 390] as const;
const SCHEMES = ["light", "dark"] as const;

// One test per colour scheme: each crawls every page at both widths within its own budget.
for (const scheme of SCHEMES) {
  test(`every page, ${scheme}: no serious or critical axe violations; none scrolls sideways at 390 px`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    // The widest row a list can get: a seven-digit amount, its user amount and a long order id.
    const { body, contentType } = encodeNotification(
      signNotification(
        {
          transaction_id: `wide${Date.now()}`,
          order_id: `order-with-a-rather-long-merchant-reference-${Date.now()}`,
          steam_id: "76561198000000077",
          date: Math.floor(Date.now() / 1000),
          status: "success",
          amount: "1234567.89",
          user_amount: "2469135.78",
          amount_currency: "usd",
        },
        SANDBOX_CREDENTIALS.clientSecret,
      ),
      "json",
    );
    const sent = await page.request.post("/api/webhooks/skinsback", {
      data: body,
      headers: {
        "content-type": contentType,
        "x-sign": xSign(SANDBOX_CREDENTIALS.clientId, SANDBOX_CREDENTIALS.clientSecret),
      },
    });
    expect(sent.status()).toBe(200);
    const paths = await samplePaths(page);
    const problems: string[] = [];
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const path of paths) {
        await page.goto(path);
        // axe reads the page as it settles (client parts hydrated, first fetches answered); the overflow check
        // needs only the rendered page.
        await page.waitForLoadState(width === 1280 ? "networkidle" : "load");
        await expect(page.locator("html"), `${path} in ${scheme}`).toHaveClass(
          scheme === "dark" ? /dark/ : /^(?!.*dark)/,
        );
        const problemsBefore = problems.length;
        if (width === 390) {
          // No page scrolls sideways on a phone: wide content scrolls inside its own box.
          const overflow = await page.evaluate(() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const culprits = [...document.querySelectorAll("body *")]
              .filter((e) => e.getBoundingClientRect().right > width + 0.5)
              .filter((e) => {
                for (let p = e.parentElement; p; p = p.parentElement) {
                  if (getComputedStyle(p).overflowX !== "visible" && p !== document.body) return false;
                }
                return true;
              })
              .slice(0, 3)
              .map(
                (e) => `${e.tagName.toLowerCase()}.${String(e.className).split(" ").slice(0, 3).join(".")}`,
              );
            return `${document.documentElement.scrollWidth} px wide: ${culprits.join(", ")}`;
          });
          if (overflow) problems.push(`${path} (${scheme}, 390 px): ${overflow}`);
        }
        if (width === 1280 && path === "/deposits") {
          // At 1280 px the deposit list fits its box: the amounts are never behind a sideways scroll.
          const hidden = await page.evaluate(() =>
            [...document.querySelectorAll("[data-testid=deposit-rows]")].map((rows) => {
              const box = rows.closest(".overflow-x-auto") as HTMLElement | null;
              return box ? box.scrollWidth - box.clientWidth : 0;
            }),
          );
          if (hidden.some((px) => px > 0))
            problems.push(`/deposits (${scheme}, 1280 px): ${hidden} px behind a scroll`);
        }
        const results = width === 1280 ? await new AxeBuilder({ page }).analyze() : { violations: [] };
        for (const v of results.violations) {
          if (v.impact !== "serious" && v.impact !== "critical") continue;
          problems.push(
            `${path} (${scheme}): ${v.id} — ${v.help}: ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(" "))
              .join(" | ")}`,
          );
        }
        // A page with a problem is kept as a full-page screenshot, for whoever fixes it.
        if (problems.length > problemsBefore) {
          const name = `${path === "/" ? "overview" : path.slice(1).replace(/[^a-z0-9]+/gi, "-")}-${scheme}-${width}.png`;
          await page.screenshot({ path: testInfo.outputPath("screenshots", name), fullPage: true });
        }
      }
    }
    expect(problems).toEqual([]);
  });
}

test("the sign-in page: no serious or critical axe violations", async ({ browser }, testInfo) => {
  for (const scheme of SCHEMES) {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(`${testInfo.project.use.baseURL}/sign-in`);
    await page.screenshot({
      path: testInfo.outputPath("screenshots", `sign-in-${scheme}.png`),
      fullPage: true,
    });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
    await context.close();
  }
});
