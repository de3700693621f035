import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  defaultPgliteDataDir,
  formatConfigError,
  parseConfig,
  SANDBOX_CREDENTIALS,
} from "./index";

describe("parseConfig", () => {
  it("defaults to embedded PGlite and the sandbox", () => {
    const config = parseConfig({ XDG_DATA_HOME: "/home/dev/.local/share" });
    expect(config.database).toEqual({
      kind: "pglite",
      dataDir: defaultPgliteDataDir({ XDG_DATA_HOME: "/home/dev/.local/share" }, process.cwd()),
    });
    expect(config.skinsback.mode).toBe("sandbox");
    expect(config.skinsback.clientId).toBe(SANDBOX_CREDENTIALS.clientId);
  });

  it("uses PostgreSQL and live mode when configured", () => {
    const config = parseConfig({
      DATABASE_URL: "postgres://u:p@db:5432/console",
      SKINSBACK_CLIENT_ID: "1490",
      SKINSBACK_CLIENT_SECRET: "XCvlP45Y2dH2UmHhk",
      PORT: "8080",
    });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/console" });
    expect(config.skinsback).toMatchObject({
      mode: "live",
      clientId: "1490",
      apiUrl: "https://skinsback.com/api.php",
    });
    expect(config.port).toBe(8080);
  });

  it("names the bad variable and never echoes its value", () => {
    const secretLooking = "mysql://root:hunter2@db/x";
    try {
      parseConfig({ DATABASE_URL: secretLooking, PORT: "99999" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\//);
      expect(message).toMatch(/PORT: must be a port number/);
      expect(message).not.toContain("hunter2");
    }
  });

  it("requires the client id and secret together, and both for live mode", () => {
    expect(() => parseConfig({ SKINSBACK_CLIENT_ID: "1490" })).toThrow(/SKINSBACK_CLIENT_SECRET/);
    expect(() => parseConfig({ SKINSBACK_CLIENT_SECRET: "long-enough-secret" })).toThrow(
      /SKINSBACK_CLIENT_ID/,
    );
    expect(() => parseConfig({ SKINSBACK_MODE: "live" })).toThrow(/SKINSBACK_MODE: live mode needs/);
  });

  it("rejects an unknown mode", () => {
    expect(() => parseConfig({ SKINSBACK_MODE: "staging" })).toThrow(/SKINSBACK_MODE/);
  });

  it("fails closed in production: no credentials and no explicit sandbox refuses to start", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(
      /SKINSBACK_CLIENT_ID: a production server needs SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET \(or SKINSBACK_MODE=sandbox/,
    );
    expect(parseConfig({ NODE_ENV: "production", SKINSBACK_MODE: "sandbox" }).skinsback.mode).toBe("sandbox");
    expect(
      parseConfig({
        NODE_ENV: "production",
        SKINSBACK_CLIENT_ID: "1490",
        SKINSBACK_CLIENT_SECRET: "XCvlP45Y2dH2UmHhk",
      }).skinsback.mode,
    ).toBe("live");
    // Development keeps the newcomer's zero-configuration start.
    expect(parseConfig({ NODE_ENV: "development" }).skinsback.mode).toBe("sandbox");
  });

  it("sign-in settings: Secure cookies exactly when the origin is https; the first admin's pair set together", () => {
    expect(parseConfig({ APP_ORIGIN: "https://console.example.com" }).auth.secureCookies).toBe(true);
    expect(parseConfig({ APP_ORIGIN: "http://127.0.0.1:3000" }).auth.secureCookies).toBe(false);
    expect(parseConfig({}).auth).toEqual({ secret: undefined, firstAdmin: undefined, secureCookies: false });
    expect(
      parseConfig({ CONSOLE_ADMIN_EMAIL: "Ops@Example.com", CONSOLE_ADMIN_PASSWORD: "twelve-chars-ok" }).auth
        .firstAdmin,
    ).toEqual({ email: "ops@example.com", password: "twelve-chars-ok" });
    expect(() => parseConfig({ CONSOLE_ADMIN_EMAIL: "ops@example.com" })).toThrow(
      /CONSOLE_ADMIN_PASSWORD: CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD must be set together/,
    );
    const short = () =>
      parseConfig({ CONSOLE_ADMIN_EMAIL: "ops@example.com", CONSOLE_ADMIN_PASSWORD: "short-pw" });
    expect(short).toThrow(/CONSOLE_ADMIN_PASSWORD: must be at least 12 characters/);
    expect(short).not.toThrow(/short-pw/);
    expect(() => parseConfig({ CONSOLE_AUTH_SECRET: "too-short" })).toThrow(
      /CONSOLE_AUTH_SECRET: must be at least 32/,
    );
  });
});

describe("formatConfigError", () => {
  it("prints each variable, the problem and a good example, never the bad value", () => {
    const error = (() => {
      try {
        parseConfig({ PORT: "http://99999", CONSOLE_API_KEY: "short-secret" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const block = formatConfigError(error as ConfigError);
    expect(block).toContain("The console cannot start: the configuration has a problem.");
    expect(block).toMatch(/ {2}PORT\n {4}problem: must be a port number\n {4}example: PORT=3000/);
    expect(block).toMatch(
      / {2}CONSOLE_API_KEY\n {4}problem: must be at least 16 characters\n {4}example: CONSOLE_API_KEY=/,
    );
    expect(block).not.toContain("short-secret");
    expect(block).not.toContain("99999");
    expect(block).not.toMatch(/\n\s+at /); // no stack
  });
});

describe("the embedded database's default folder", () => {
  it("is in the user's data folder, one per checkout, never inside the project (next dev watches that tree)", () => {
    const a = defaultPgliteDataDir({ XDG_DATA_HOME: "/home/dev/.local/share" }, "/work/console");
    const b = defaultPgliteDataDir({ XDG_DATA_HOME: "/home/dev/.local/share" }, "/work/other/console");
    expect(a).toMatch(/^\/home\/dev\/\.local\/share\/skinsback-console\/console-[0-9a-f]{8}\/pglite$/);
    expect(b).not.toBe(a);
    expect(defaultPgliteDataDir({ HOME: "/home/ann" }, "/work/console")).toMatch(
      /^\/home\/ann\/\.local\/share\/skinsback-console\/console-[0-9a-f]{8}\/pglite$/,
    );
    expect(path.relative(process.cwd(), defaultPgliteDataDir({}, process.cwd())).startsWith("..")).toBe(true);
    expect(parseConfig({ PGLITE_DATA_DIR: "/srv/db" }).database).toEqual({
      kind: "pglite",
      dataDir: "/srv/db",
    });
  });
});
