// The first run as a newcomer meets it: `next dev` with the project's own config, started for real on loopback.
// (Stop your own `npm run dev` in this folder first: Next allows one dev server per project folder.)
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const running: ChildProcess[] = [];
const folders: string[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), "console-dev-"));
  folders.push(folder);
  return folder;
}

/** `npm run dev` as the README says it (scripts/dev.mjs), on `port`. */
function startDev(port: number, env: Record<string, string>) {
  const child = spawn(process.execPath, ["scripts/dev.mjs", "-p", String(port)], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "development",
      NEXT_TELEMETRY_DISABLED: "1",
      SANDBOX_SEED_DEPOSITS: "0",
      DATABASE_URL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const waitFor = async (text: string, withinMs: number) => {
    const deadline = Date.now() + withinMs;
    while (!output.includes(text)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "${text}" in:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { exited, output: () => output, waitFor };
}

afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** No stack trace and none of Next's wrapping: the person sees only what to fix. */
function expectNoStack(output: string) {
  expect(output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(output).not.toContain("An error occurred while loading instrumentation hook");
  expect(output).not.toContain("Error [ConfigError]");
}

describe("next dev, as a newcomer starts it", () => {
  it("a bad variable stops the start: one readable block, exit code 1", async () => {
    const dev = startDev(3341, {
      PGLITE_DATA_DIR: path.join(tempFolder(), "db"),
      CONSOLE_API_KEY: "too-short",
    });
    expect(await dev.exited).toBe(1);
    const output = dev.output();
    expect(output).toContain("The console cannot start: the configuration has a problem.");
    expect(output).toMatch(
      /CONSOLE_API_KEY\n\s+problem: must be at least 16 characters\n\s+example: CONSOLE_API_KEY=/,
    );
    expect(output).not.toContain("too-short");
    expectNoStack(output);
  });

  it("when another process holds the embedded database's folder, this one exits instead of serving errors", async () => {
    const dataDir = path.join(tempFolder(), "db");
    // This test process is alive: its pid in the lock file is another process holding the folder.
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    const dev = startDev(3342, { PGLITE_DATA_DIR: dataDir });
    expect(await dev.exited).toBe(1);
    expect(dev.output()).toContain(
      `The console cannot start: The embedded database in ${dataDir} is in use by process ${process.pid}`,
    );
    expectNoStack(dev.output());
  });

  it("client code is served to localhost, 127.0.0.1 and APP_ORIGIN's host, and refused to other origins", async () => {
    const port = 3343;
    const dev = startDev(port, {
      PGLITE_DATA_DIR: path.join(tempFolder(), "db"),
      APP_ORIGIN: `http://console.internal.test:${port}`,
    });
    await dev.waitFor("[config] SkinsBack mode: sandbox", 60_000);
    // It listens on loopback only: its sign-in page shows the demo admin's password.
    expect(dev.output()).toMatch(/Network:\s+http:\/\/127\.0\.0\.1:3343/);
    expect(dev.output()).not.toContain("WARNING");
    // A dev resource as the browser asks for it from a page on each origin: 403 means the dev server blocks it
    // (and then no client component runs); anything else means it is served.
    const devResource = (origin: string) =>
      fetch(`http://127.0.0.1:${port}/_next/static/chunks/probe.js`, { headers: { origin } }).then(
        (r) => r.status,
      );
    expect(await devResource(`http://127.0.0.1:${port}`)).not.toBe(403);
    expect(await devResource(`http://localhost:${port}`)).not.toBe(403);
    expect(await devResource(`http://console.internal.test:${port}`)).not.toBe(403);
    expect(await devResource("http://attacker.example")).toBe(403);
  });

  it("DEV_HOST exposes it on purpose, with a warning first", async () => {
    const dev = startDev(3344, {
      PGLITE_DATA_DIR: path.join(tempFolder(), "db"),
      DEV_HOST: "0.0.0.0",
      CONSOLE_API_KEY: "too-short", // stops the start once the warning is out: nothing listens for long
    });
    expect(await dev.exited).toBe(1);
    expect(dev.output()).toMatch(/WARNING: the dev server listens on 0\.0\.0\.0/);
  });
});
