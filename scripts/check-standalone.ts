// The deploy check `npm test` ends with: the standalone output (what deploy/Dockerfile ships) is built, started
// with `node server.js` on loopback, and asked for its health, a page and a signed webhook; then SIGTERM must make
// /api/health say 503 and the process exit 0. Exit 1 with the failed step otherwise. Loopback only, bounded.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SANDBOX_CREDENTIALS } from "../lib/config/index";
import {
  encodeNotification,
  notificationHeaders,
  signNotification,
} from "../lib/skinsback/notification-builder";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.STANDALONE_PORT ?? 3230);
const origin = `http://127.0.0.1:${port}`;

function step(name: string, ok: boolean, detail = ""): void {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
  if (!ok) {
    server?.kill("SIGKILL");
    process.exit(1);
  }
}

let server: ChildProcess | undefined;
const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NEXT_OUTPUT: "standalone", NEXT_TELEMETRY_DISABLED: "1" },
});
step("NEXT_OUTPUT=standalone next build", build.status === 0);
const standalone = path.join(root, ".next/standalone");
cpSync(path.join(root, ".next/static"), path.join(standalone, ".next/static"), { recursive: true });
const data = mkdtempSync(path.join(os.tmpdir(), "console-standalone-"));
let output = "";
server = spawn(process.execPath, ["server.js"], {
  cwd: standalone,
  env: {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    SKINSBACK_MODE: "sandbox",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    PGLITE_DATA_DIR: path.join(data, "pglite"),
    SANDBOX_SEED_DEPOSITS: "0",
    SHUTDOWN_DRAIN_SECONDS: "1",
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
server.stdout?.on("data", (c) => {
  output += c;
});
server.stderr?.on("data", (c) => {
  output += c;
});
const exited = new Promise<number | null>((resolve) => server?.once("exit", (code) => resolve(code)));

let healthy = false;
for (let i = 0; i < 120 && !healthy; i++) {
  healthy = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2_000) })
    .then((r) => r.ok)
    .catch(() => false);
  if (!healthy) await new Promise((r) => setTimeout(r, 500));
}
step("node server.js answers /api/health 200", healthy, healthy ? "" : output.slice(-2000));
const page = await fetch(`${origin}/sign-in`);
step("a page (/sign-in) answers 200", page.status === 200, String(page.status));
const fields = signNotification(
  { status: "pending", transaction_id: "777000111", order_id: "standalone-check" },
  SANDBOX_CREDENTIALS.clientSecret,
);
const { body, contentType } = encodeNotification(fields, "json");
const webhook = await fetch(`${origin}/api/webhooks/skinsback`, {
  method: "POST",
  headers: notificationHeaders(SANDBOX_CREDENTIALS.clientId, SANDBOX_CREDENTIALS.clientSecret, contentType),
  body,
});
step(
  "a signed webhook is stored (migrations and PGlite's files are in the output)",
  webhook.status === 200 && webhook.headers.get("x-outcome") === "applied",
  `${webhook.status} ${webhook.headers.get("x-outcome")}`,
);
server.kill("SIGTERM");
await new Promise((r) => setTimeout(r, 200));
const draining = await fetch(`${origin}/api/health`).then(
  (r) => r.status,
  () => 0,
);
step("after SIGTERM /api/health answers 503 while it drains", draining === 503, String(draining));
const code = await Promise.race([
  exited,
  new Promise<string>((r) => setTimeout(() => r("no exit within 15 s"), 15_000)),
]);
step("then it exits 0", code === 0, String(code));
rmSync(data, { recursive: true, force: true });
