import { DEFAULT_RETENTION } from "../lib/retention/retention";
import { expect, ORIGIN, test } from "./support";

const write = { headers: { origin: ORIGIN } };

test("an admin sets how long refused requests are kept: saved, audited, and a bad value names its field", async ({
  page,
  request,
}) => {
  try {
    await page.goto("/settings/retention");
    await expect(page.getByTestId("retention-last-run")).toBeVisible();
    const field = page.getByLabel(/Refused requests/);
    await expect(field).toHaveValue(String(DEFAULT_RETENTION.refusedRequestsDays));
    await field.fill("60");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved. The next daily run uses it.")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel(/Refused requests/)).toHaveValue("60");

    const audit = await (await request.get("/api/audit?action=settings.change")).json();
    expect(JSON.stringify(audit)).toContain('"refusedRequestsDays":60');

    const refused = await request.patch("/api/settings/retention", {
      ...write,
      data: { ...DEFAULT_RETENTION, apiCallsDays: 0 },
    });
    expect(refused.status()).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("apiCallsDays");
  } finally {
    await request.patch("/api/settings/retention", { ...write, data: DEFAULT_RETENTION });
  }
});
