import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { TEST_CREDENTIALS } from "./notifications";

const root = path.resolve(import.meta.dirname, "../..");

/** Builds once when no production build exists (benchmarks and fault runs measure what ships). */
export function ensureProductionBuild(): void {
  if (existsSync(path.join(root, ".next/BUILD_ID"))) return;
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) throw new Error("next build failed");
}

export type ProductionServer = {
  origin: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  /** Resident memory of the server process in MiB (from /proc). */
  rssMiB(): number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * `next start` of the production build on 127.0.0.1, in live mode with the test credentials (no sandbox loop, no
 * outbound calls), against `databaseUrl`. Resolves once /api/health answers 200 (or at all, `until: "answering"`).
 */
export async function startProductionServer(options: {
  port: number;
  databaseUrl: string;
  env?: Record<string, string>;
  /** Flags for node itself, e.g. --cpu-prof to profile the server. */
  nodeArgs?: string[];
  /** "answering": resolve once /api/health answers at all (a 503 while the database is away counts). */
  until?: "healthy" | "answering";
}): Promise<ProductionServer> {
  ensureProductionBuild();
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      "node_modules/next/dist/bin/next",
      "start",
      "-p",
      String(options.port),
      "-H",
      "127.0.0.1",
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: options.databaseUrl,
        SKINSBACK_CLIENT_ID: TEST_CREDENTIALS.clientId,
        SKINSBACK_CLIENT_SECRET: TEST_CREDENTIALS.clientSecret,
        SKINSBACK_API_URL: "http://127.0.0.1:9/no-calls-in-benchmarks",
        APP_ORIGIN: `http://127.0.0.1:${options.port}`,
        CONSOLE_BENCH_ROUTES: "1",
        // No load balancer to notice a drain: a stop is quick unless a test asks for one.
        SHUTDOWN_DRAIN_SECONDS: "0",
        // Thousands of requests a second: their JSON lines are not kept (warnings and errors are).
        LOG_LEVEL: "warn",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (c) => {
    output += c;
  });
  child.stderr?.on("data", (c) => {
    output += c;
  });
  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.ok || options.until === "answering")
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`next start did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid as number;
  return {
    origin,
    pid,
    child,
    output: () => output,
    rssMiB: () => serverRssMiB(pid),
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
}

/** RSS of `pid` and its children (next start may serve from a child process), in MiB. */
function serverRssMiB(pid: number): number {
  const result = spawnSync("ps", ["-o", "rss=", "--ppid", String(pid), "-p", String(pid)], {
    encoding: "utf8",
  });
  const kib = result.stdout
    .split("\n")
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter(Number.isFinite)
    .reduce((a, b) => a + b, 0);
  return Math.round(kib / 1024);
}

/** An admin for servers started by tests (CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD). */
export const TEST_ADMIN = { email: "admin@tests.invalid", password: "test-admin-password-0123" } as const;
export const TEST_ADMIN_ENV = {
  CONSOLE_ADMIN_EMAIL: TEST_ADMIN.email,
  CONSOLE_ADMIN_PASSWORD: TEST_ADMIN.password,
};

/** Signs in at `origin` and answers the Cookie header that carries the session. */
export async function signInCookie(
  origin: string,
  who: { email: string; password: string } = TEST_ADMIN,
): Promise<string> {
  const response = await fetch(`${origin}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify(who),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}: ${await response.text()}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  const session = cookies.find((c) => c?.includes("session_token="));
  if (!session) throw new Error("sign-in set no session cookie");
  return session;
}
