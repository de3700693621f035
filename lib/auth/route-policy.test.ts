import { describe, expect, it } from "vitest";
import { routeAccess } from "./route-policy";

describe("route policy", () => {
  it("names the anonymous routes, and the sandbox's only in sandbox mode", () => {
    for (const [path, method] of [
      ["/api/webhooks/skinsback", "POST"],
      ["/api/health", "GET"],
      ["/api/metrics", "GET"],
      ["/sign-in", "GET"],
      ["/setup", "GET"],
      ["/api/setup", "POST"],
      ["/api/auth/sign-in/email", "POST"],
    ]) {
      expect(routeAccess(path as string, method as string, "live"), path).toEqual({ kind: "anonymous" });
    }
    expect(routeAccess("/sandbox/api.php", "POST", "sandbox")).toEqual({ kind: "anonymous" });
    expect(routeAccess("/sandbox/pay/116700001", "GET", "sandbox")).toEqual({ kind: "anonymous" });
    for (const path of [
      "/sandbox/api.php",
      "/sandbox/pay/1",
      "/sandbox",
      "/sandbox/control",
      "/sandbox/seed-progress",
    ]) {
      expect(routeAccess(path, "GET", "live"), path).toEqual({ kind: "not-found" });
    }
  });

  it("closes every other route by default: viewers read, operators write", () => {
    expect(routeAccess("/deposits", "GET", "live")).toMatchObject({ kind: "operator", role: "viewer" });
    expect(routeAccess("/some/future/route", "GET", "live")).toMatchObject({ role: "viewer" });
    expect(routeAccess("/some/future/route", "POST", "live")).toMatchObject({ role: "operator" });
    expect(routeAccess("/api/deposits", "DELETE", "live")).toMatchObject({ role: "operator" });
    expect(routeAccess("/sandbox/control", "POST", "sandbox")).toMatchObject({ role: "operator" });
    expect(routeAccess("/sandbox/control", "GET", "sandbox")).toMatchObject({ role: "viewer" });
  });

  it("keeps admin pages admin, and the proxy for operators or the API key", () => {
    for (const path of [
      "/settings/operators",
      "/api/operators",
      "/api/operators/abc",
      "/audit",
      "/api/audit",
    ]) {
      expect(routeAccess(path, "GET", "live"), path).toMatchObject({ role: "admin" });
    }
    expect(routeAccess("/api/skinsback/balance", "POST", "live")).toEqual({
      kind: "operator",
      role: "operator",
      apiKey: "skinsback:call",
    });
    expect(routeAccess("/api/v1/events", "GET", "live")).toEqual({
      kind: "operator",
      role: "viewer",
      apiKey: "events:read",
    });
    expect(routeAccess("/api/v1/deposits/123", "GET", "live")).toMatchObject({ apiKey: "deposits:read" });
    // A key reads; nothing there is written with one.
    expect(routeAccess("/api/v1/events", "POST", "live")).toMatchObject({ role: "admin", apiKey: null });
  });

  it("cannot be dodged by spelling: escapes, doubled and trailing slashes meet the same rule", () => {
    expect(routeAccess("/api/%6Fperators", "POST", "live")).toMatchObject({ role: "admin" });
    expect(routeAccess("/settings//operators/", "GET", "live")).toMatchObject({ role: "admin" });
    expect(routeAccess("/api/webhooks/skinsback/", "POST", "live")).toEqual({ kind: "anonymous" });
    expect(routeAccess("/%E0%A4%A", "GET", "live")).toMatchObject({ role: "admin" }); // undecodable: strictest
    expect(routeAccess("/sign-in-but-not-really", "GET", "live")).toMatchObject({ role: "viewer" });
    expect(routeAccess("/api/authx", "POST", "live")).toMatchObject({ role: "operator" });
  });
});

describe("the gate's matcher (proxy.ts)", () => {
  it("skips only routes the policy makes anonymous in both modes", async () => {
    const { config } = await import("@/proxy");
    const matcher = new RegExp(`^${config.matcher[0]}$`);
    const builtPaths = [
      "/",
      "/api/webhooks/skinsback",
      "/api/health",
      "/api/bench/baseline",
      "/api/deposits",
      "/api/operators",
      "/api/operators/abc",
      "/api/audit",
      "/api/setup",
      "/api/auth/sign-in/email",
      "/api/skinsback/create",
      "/api/account/password",
      "/deposits",
      "/deposits/116700001",
      "/audit",
      "/settings/operators",
      "/sandbox",
      "/sandbox/control",
      "/sign-in",
      "/setup",
      "/icon.svg",
    ];
    const skipped = builtPaths.filter((p) => !matcher.test(p));
    expect(skipped).toEqual(["/api/webhooks/skinsback", "/api/health", "/api/bench/baseline", "/icon.svg"]);
    for (const path of skipped) {
      for (const mode of ["sandbox", "live"] as const) {
        for (const method of ["GET", "POST"])
          expect(routeAccess(path, method, mode)).toEqual({ kind: "anonymous" });
      }
    }
    expect(matcher.test("/_next/static/chunks/app.js")).toBe(false);
  });
});

describe("routes outside the route wrapper", () => {
  it("each says in a comment why it does not use withRoute", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const root = path.resolve(import.meta.dirname, "../..");
    const routes = readdirSync(path.join(root, "app"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith("route.ts"))
      .map((f) => path.join(root, "app", f));
    const silent = routes.filter((file) => {
      const text = readFileSync(file, "utf8");
      return !text.includes("withRoute") && !text.includes("Outside withRoute:");
    });
    expect(routes.length).toBeGreaterThan(40);
    expect(silent).toEqual([]);
  });
});
