// Starts the production server for end-to-end tests: a fresh embedded database, loopback only.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";

const port = process.argv[2] ?? "3210";
const dataDir = ".data-e2e";
rmSync(dataDir, { recursive: true, force: true });

if (!existsSync(".next/BUILD_ID")) {
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const env = {
  ...process.env,
  PGLITE_DATA_DIR: `${dataDir}/pglite`,
  PORT: port,
  APP_ORIGIN: `http://127.0.0.1:${port}`,
  // A smaller history than a newcomer gets: enough to browse, quick to deliver.
  SANDBOX_SEED_DEPOSITS: process.env.SANDBOX_SEED_DEPOSITS ?? "300",
  CONSOLE_API_KEY: process.env.CONSOLE_API_KEY ?? "e2e-console-api-key-0123456789",
  // SkinsBack's status and balance are reused for 1 s (30 by default), so a test sees a switch flip quickly.
  SKINSBACK_STATUS_CACHE_SECONDS: "1",
  // Forwarding retries every 2 s (instead of 5 s, 5 min…), so a test watches them happen.
  FORWARD_RETRY_SCHEDULE: "0s,2s,2s,2s,2s,2s,2s,2s",
  // The alert rules are evaluated every 2 s (30 by default), so a test sees an incident open and resolve.
  ALERT_EVALUATE_SECONDS: "2",
  // Nothing balances load in front of this server: when the run ends it stops without a drain period.
  SHUTDOWN_DRAIN_SECONDS: "0",
  // The per-request JSON lines would bury the test output; warnings and errors still show.
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
};
for (const name of ["SKINSBACK_CLIENT_ID", "SKINSBACK_CLIENT_SECRET", "SKINSBACK_API_URL"]) delete env[name];
// A production server runs the sandbox only when asked by name (it refuses to start without credentials).
env.SKINSBACK_MODE = "sandbox";
delete env.DATABASE_URL;
const server = spawn(
  process.execPath,
  ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", "127.0.0.1"],
  {
    stdio: "inherit",
    env,
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
