import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "@/lib/config";

const root = path.resolve(import.meta.dirname, "..");

/** `npm run config:check` as a deploy pipeline runs it: tsx, the real script, only the given environment. */
function configCheck(env: Record<string, string>) {
  const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/config-check.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", SKINSBACK_MODE: "sandbox", ...env },
    encoding: "utf8",
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe("npm run config:check", () => {
  it("prints the effective configuration with every secret masked, and exits 0", () => {
    const secrets = {
      SKINSBACK_CLIENT_ID: "1490",
      SKINSBACK_CLIENT_SECRET: "XCvlP45Y2dH2UmHhk-live",
      DATABASE_URL: "postgres://console:db-password-42@db.internal:5432/console",
      CONSOLE_AUTH_SECRET: "a-cookie-secret-of-more-than-32-characters",
      CONSOLE_ALERT_SMTP_URL: "smtps://alerts:mail-password-7@smtp.example:465",
      CONSOLE_ALERT_EMAIL_TO: "ops@shop.example",
    };
    const { status, out } = configCheck({ ...secrets, SKINSBACK_MODE: "live" });
    expect(status).toBe(0);
    expect(out).toContain("SKINSBACK_CLIENT_SECRET = [set, 22 characters]");
    expect(out).toContain("postgres://console:****@db.internal:5432/console");
    expect(out).toContain("SkinsBack: live mode, Client ID 1490");
    for (const secret of [
      "XCvlP45Y2dH2UmHhk-live",
      "db-password-42",
      "a-cookie-secret-of",
      "mail-password-7",
    ]) {
      expect(out).not.toContain(secret);
    }
  });

  it("names a bad variable and exits 1", () => {
    const { status, out } = configCheck({
      RECONCILE_BUDGET_SHARE: "2",
      CONSOLE_ALERT_WEBHOOK_URL: "https://ops.example/h",
    });
    expect(status).toBe(1);
    expect(out).toContain("RECONCILE_BUDGET_SHARE");
    expect(out).toContain("CONSOLE_ALERT_WEBHOOK_SECRET");
  });

  it("the README's configuration table names exactly the variables the schema reads", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Operators"));
    const documented = new Set<string>();
    for (const line of section.split("\n")) {
      if (!line.startsWith("| `")) continue;
      for (const m of (line.split("|")[1] ?? "").matchAll(/`([A-Z][A-Z0-9_]+)`/g))
        documented.add(m[1] as string);
    }
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
