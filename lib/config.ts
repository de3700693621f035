import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

/**
 * The configuration: every variable validated once, as a pure function of an environment record. A bad value
 * fails start-up with a message that names the variable, what is wrong and an example of a good value, never
 * the value itself (it may be a secret). Pure and free of `server-only` so next.config.ts can check the
 * configuration before the server says "Ready"; the app reads it through lib/env.ts.
 */

/** Public, documented credentials of the built-in sandbox project. Never valid against real SkinsBack. */
export const SANDBOX_CREDENTIALS = {
  clientId: "1000",
  clientSecret: "sandbox-secret-not-for-production",
} as const;

export const LIVE_API_URL = "https://skinsback.com/api.php";

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string())
  .optional()
  .transform((s) => (s ? s : undefined));

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
        .optional(),
    ),
    PGLITE_DATA_DIR: optionalText,
    SKINSBACK_CLIENT_ID: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be the project's Client ID (letters, digits, - or _)")
        .optional(),
    ),
    SKINSBACK_CLIENT_SECRET: optionalText.pipe(
      z.string().min(8, "must be the project's Client Secret (at least 8 characters)").optional(),
    ),
    SKINSBACK_MODE: optionalText.pipe(z.enum(["sandbox", "live"]).optional()),
    SKINSBACK_API_URL: optionalText.pipe(z.url("must be an http(s) URL").optional()),
    APP_ORIGIN: optionalText.pipe(
      z.url("must be the console's own base URL, e.g. http://127.0.0.1:3000").optional(),
    ),
    SANDBOX_SEED_DEPOSITS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,6}$/, "must be a whole number of deposits")
        .transform(Number)
        .optional(),
    ),
    CONSOLE_API_KEY: optionalText.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    CONSOLE_BENCH_ROUTES: optionalText.pipe(z.enum(["0", "1"], "must be 1 or 0").optional()),
    CONSOLE_ADMIN_EMAIL: optionalText.pipe(z.email("must be an email address").optional()),
    CONSOLE_ADMIN_PASSWORD: optionalText.pipe(
      z.string().min(12, "must be at least 12 characters").optional(),
    ),
    SKINSBACK_STATUS_CACHE_SECONDS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, "must be a whole number of seconds")
        .transform(Number)
        .optional(),
    ),
    FAILED_SYNC_INTERVAL_SECONDS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,6}$/, "must be a whole number of seconds")
        .transform(Number)
        .refine((n) => n >= 10, "must be at least 10 seconds (SkinsBack's rate budget is shared)")
        .optional(),
    ),
    CONSOLE_AUTH_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    TRUSTED_PROXY_COUNT: optionalText.pipe(
      z
        .string()
        .regex(/^\d$/, "must be the number of proxies in front of the app, 0 to 9")
        .transform(Number)
        .optional(),
    ),
    PORT: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, "must be a port number")
        .transform(Number)
        .refine((n) => n >= 1 && n <= 65535, "must be a port number from 1 to 65535")
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    const hasId = env.SKINSBACK_CLIENT_ID !== undefined;
    const hasSecret = env.SKINSBACK_CLIENT_SECRET !== undefined;
    if (hasId !== hasSecret) {
      ctx.addIssue({
        code: "custom",
        path: [hasId ? "SKINSBACK_CLIENT_SECRET" : "SKINSBACK_CLIENT_ID"],
        message: "SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET must be set together",
      });
    }
    // Fail closed: a production server with no credentials would accept notifications signed with the sandbox's
    // public secret into the real deposits table. The sandbox must be asked for by name there.
    if (env.NODE_ENV === "production" && !(hasId && hasSecret) && env.SKINSBACK_MODE !== "sandbox") {
      ctx.addIssue({
        code: "custom",
        path: ["SKINSBACK_CLIENT_ID"],
        message:
          "a production server needs SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET (or SKINSBACK_MODE=sandbox to run the built-in sandbox on purpose)",
      });
    }
    if ((env.CONSOLE_ADMIN_EMAIL === undefined) !== (env.CONSOLE_ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [env.CONSOLE_ADMIN_EMAIL === undefined ? "CONSOLE_ADMIN_EMAIL" : "CONSOLE_ADMIN_PASSWORD"],
        message: "CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD must be set together",
      });
    }
    if (env.SKINSBACK_MODE === "live" && !(hasId && hasSecret)) {
      ctx.addIssue({
        code: "custom",
        path: ["SKINSBACK_MODE"],
        message: "live mode needs SKINSBACK_CLIENT_ID and SKINSBACK_CLIENT_SECRET",
      });
    }
  });

export type SkinsbackMode = "sandbox" | "live";

export type AppConfig = {
  nodeEnv: "development" | "production" | "test";
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };
  skinsback: {
    mode: SkinsbackMode;
    clientId: string;
    clientSecret: string;
    /** SkinsBack's endpoint in live mode; the built-in simulator's (served by this app) in sandbox mode. */
    apiUrl: string;
  };
  port: number | undefined;
  /** Where this app is reachable from itself: the sandbox posts notifications here and serves its API here. */
  appOrigin: string;
  sandbox: { apiUrl: string; resultUrl: string; failingResultUrl: string; seedDeposits: number };
  /** Serve /api/bench/baseline, the benchmarks' do-nothing route (off unless CONSOLE_BENCH_ROUTES=1). */
  benchRoutes: boolean;
  /** Proxies in front of the app that append to X-Forwarded-For; 0: the socket's peer is the client. */
  trustedProxies: number;
  /** Bearer token for machine use of the SkinsBack proxy; unset → only signed-in operators may use it. */
  consoleApiKey: string | undefined;
  /** How often SkinsBack's failed-notification list is synced (every instance shares one schedule). */
  failedSyncIntervalMs: number;
  /** How long the overview reuses SkinsBack's answers to `status` and `balance` (each call spends the budget). */
  skinsbackStatusCacheMs: number;
  auth: {
    /** Signs session cookies; unset → generated once and kept in the database (lib/auth/auth.ts). */
    secret: string | undefined;
    /** Created at start when no operator has this email (CONSOLE_ADMIN_EMAIL + CONSOLE_ADMIN_PASSWORD). */
    firstAdmin: { email: string; password: string } | undefined;
    /** Cookies get `Secure` (and the __Secure- prefix) when the console is served over https. */
    secureCookies: boolean;
  };
};

/** A good value for each variable, shown with an error so the fix is obvious. */
const EXAMPLES: Record<string, string> = {
  DATABASE_URL: "postgres://console:password@127.0.0.1:5432/console",
  PGLITE_DATA_DIR: "/var/lib/skinsback-console/pglite",
  SKINSBACK_CLIENT_ID: "1490 (Client ID from the SkinsBack merchant panel)",
  SKINSBACK_CLIENT_SECRET: "the Client Secret from the SkinsBack merchant panel",
  SKINSBACK_MODE: "sandbox, or live",
  SKINSBACK_API_URL: "https://skinsback.com/api.php",
  APP_ORIGIN: "http://127.0.0.1:3000",
  SANDBOX_SEED_DEPOSITS: "2400 (0 for none)",
  CONSOLE_API_KEY: "a random string of 16 or more characters, e.g. from `openssl rand -hex 24`",
  PORT: "3000",
  TRUSTED_PROXY_COUNT: "1 (one load balancer in front of the app)",
  CONSOLE_BENCH_ROUTES: "1 (benchmarks only)",
  CONSOLE_ADMIN_EMAIL: "admin@example.com",
  CONSOLE_ADMIN_PASSWORD: "a long password of 12 or more characters",
  FAILED_SYNC_INTERVAL_SECONDS: "300 (every 5 minutes)",
  SKINSBACK_STATUS_CACHE_SECONDS: "30",
  CONSOLE_AUTH_SECRET: "a random string of 32 or more characters, e.g. from `openssl rand -hex 32`",
  NODE_ENV: "production",
};

export type ConfigProblem = { variable: string; problem: string; example?: string };

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.problem}`).join("\n")}`);
  }
}

/**
 * The block a person reads when the start is refused: each variable, what is wrong, an example of a good value.
 * No stack trace: the mistake is in the environment, not in the code.
 */
export function formatConfigError(error: ConfigError): string {
  const lines = ["", "The console cannot start: the configuration has a problem.", ""];
  for (const p of error.problems) {
    lines.push(`  ${p.variable}`, `    problem: ${p.problem}`);
    if (p.example) lines.push(`    example: ${p.variable}=${p.example}`);
    lines.push("");
  }
  lines.push("Fix the variable(s) above in the environment or in .env, then start again.", "");
  return lines.join("\n");
}

/**
 * Where the embedded database lives when PGLITE_DATA_DIR is unset: the user's data folder
 * ($XDG_DATA_HOME or ~/.local/share), one folder per project checkout. Not inside the project: `next dev` watches
 * the project tree, and the database's constant writes made it rebuild and reload every open page in a loop.
 */
export function defaultPgliteDataDir(source: Record<string, string | undefined>, projectDir: string): string {
  const dataHome = source.XDG_DATA_HOME || path.join(source.HOME || os.homedir(), ".local", "share");
  const checkout = `${path.basename(projectDir)}-${createHash("sha256").update(projectDir).digest("hex").slice(0, 8)}`;
  return path.join(dataHome, "skinsback-console", checkout, "pglite");
}

/** Pure: validates a given environment. Messages name variables, never values. */
export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const variable = issue.path.join(".") || "(environment)";
        return { variable, problem: issue.message, example: EXAMPLES[variable] };
      }),
    );
  }
  const env = result.data;
  const hasCredentials = env.SKINSBACK_CLIENT_ID !== undefined && env.SKINSBACK_CLIENT_SECRET !== undefined;
  const mode: SkinsbackMode = env.SKINSBACK_MODE ?? (hasCredentials ? "live" : "sandbox");
  const appOrigin = (env.APP_ORIGIN ?? `http://127.0.0.1:${env.PORT ?? 3000}`).replace(/\/$/, "");
  const sandboxApiUrl = `${appOrigin}/sandbox/api.php`;
  return {
    nodeEnv: env.NODE_ENV,
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL }
      : { kind: "pglite", dataDir: env.PGLITE_DATA_DIR ?? defaultPgliteDataDir(source, process.cwd()) },
    skinsback: {
      mode,
      clientId: env.SKINSBACK_CLIENT_ID ?? SANDBOX_CREDENTIALS.clientId,
      clientSecret: env.SKINSBACK_CLIENT_SECRET ?? SANDBOX_CREDENTIALS.clientSecret,
      apiUrl:
        mode === "live" ? (env.SKINSBACK_API_URL ?? LIVE_API_URL) : (env.SKINSBACK_API_URL ?? sandboxApiUrl),
    },
    port: env.PORT,
    appOrigin,
    sandbox: {
      apiUrl: sandboxApiUrl,
      resultUrl: `${appOrigin}/api/webhooks/skinsback`,
      failingResultUrl: `${appOrigin}/sandbox/failing-result-url`,
      seedDeposits: env.SANDBOX_SEED_DEPOSITS ?? 2400,
    },
    consoleApiKey: env.CONSOLE_API_KEY,
    trustedProxies: env.TRUSTED_PROXY_COUNT ?? 0,
    benchRoutes: env.CONSOLE_BENCH_ROUTES === "1",
    failedSyncIntervalMs: (env.FAILED_SYNC_INTERVAL_SECONDS ?? 300) * 1000,
    skinsbackStatusCacheMs: (env.SKINSBACK_STATUS_CACHE_SECONDS ?? 30) * 1000,
    auth: {
      secret: env.CONSOLE_AUTH_SECRET,
      firstAdmin:
        env.CONSOLE_ADMIN_EMAIL && env.CONSOLE_ADMIN_PASSWORD
          ? { email: env.CONSOLE_ADMIN_EMAIL.toLowerCase(), password: env.CONSOLE_ADMIN_PASSWORD }
          : undefined,
      secureCookies: appOrigin.startsWith("https://"),
    },
  };
}
