import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import {
  DEFAULT_RETRY_SCHEDULE_MS,
  envSchema,
  LIVE_API_URL,
  SANDBOX_CREDENTIALS,
  type SkinsbackMode,
} from "./env-schema";

/**
 * The configuration: every variable validated once, as a pure function of an environment record. A bad value
 * fails start-up with a message that names the variable, what is wrong and an example of a good value, never
 * the value itself (it may be a secret). The app reads it through lib/env.ts.
 */

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
  sandbox: {
    apiUrl: string;
    resultUrl: string;
    failingResultUrl: string;
    seedDeposits: number;
    /**
     * Origins a deposit's own `result_url` may point at: the console's own, and SANDBOX_RESULT_URL_ORIGINS. The
     * sandbox's `create` is public (its secret is), so without this anyone could make it post signed
     * notifications to any address.
     */
    resultUrlOrigins: string[];
  };
  /** Serve /api/bench/baseline, the benchmarks' do-nothing route (off unless CONSOLE_BENCH_ROUTES=1). */
  benchRoutes: boolean;
  /** Proxies in front of the app that append to X-Forwarded-For; 0: the socket's peer is the client. */
  trustedProxies: number;
  /** Bearer token for machine use of the SkinsBack proxy; unset → only signed-in operators may use it. */
  consoleApiKey: string | undefined;
  /** Bearer token Prometheus scrapes GET /api/metrics with; unset → the route answers 404. */
  metricsToken: string | undefined;
  /** The per-request log's level (production only; `next dev` prints its own lines). */
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** After SIGTERM, how long /api/health answers 503 while requests are still served (the balancer's notice). */
  shutdownDrainMs: number;
  forwarding: {
    /** FORWARD_ALLOW_PRIVATE_NETWORKS=1: every endpoint may reach loopback and private addresses. */
    allowPrivateNetworks: boolean;
    /** Delay before each attempt (the first is usually 0); after the last one fails the message is failed. */
    retryScheduleMs: number[];
    /** CONSOLE_FORWARD_URL: the endpoint named `default`, created or updated at start. */
    environmentEndpoint:
      | { url: string; secret: string | undefined; format: "standard" | "skinsback" }
      | undefined;
  };
  /** How often SkinsBack's failed-notification list is synced (every instance shares one schedule). */
  failedSyncIntervalMs: number;
  reconciliation: {
    /** The regular run's interval (it covers the last 48 hours); the deep run (9 days) is daily. */
    intervalMs: number;
    /** The share of the shared 500/minute budget reconciliation and the watchdogs may use. */
    budgetShare: number;
    watchdogIntervalMs: number;
  };
  alerts: {
    /** How often the rules are evaluated (once per interval across instances). */
    evaluateIntervalMs: number;
    /** CONSOLE_ALERT_WEBHOOK_URL (+ _SECRET): the generic JSON channel named `environment-webhook`. */
    environmentWebhook: { url: string; secret: string } | undefined;
    /** CONSOLE_ALERT_SMTP_URL + CONSOLE_ALERT_EMAIL_TO: the e-mail channel named `environment-email`. */
    environmentEmail: { smtpUrl: string; to: string[]; from: string | undefined } | undefined;
  };
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
  SANDBOX_RESULT_URL_ORIGINS: "http://127.0.0.1:4000,https://merchant.example",
  CONSOLE_API_KEY: "a random string of 16 or more characters, e.g. from `openssl rand -hex 24`",
  PORT: "3000",
  TRUSTED_PROXY_COUNT: "1 (one load balancer in front of the app)",
  CONSOLE_BENCH_ROUTES: "1 (benchmarks only)",
  CONSOLE_ADMIN_EMAIL: "admin@example.com",
  CONSOLE_ADMIN_PASSWORD: "a long password of 12 or more characters",
  FAILED_SYNC_INTERVAL_SECONDS: "300 (every 5 minutes)",
  SKINSBACK_STATUS_CACHE_SECONDS: "30",
  CONSOLE_AUTH_SECRET: "a random string of 32 or more characters, e.g. from `openssl rand -hex 32`",
  CONSOLE_FORWARD_URL: "https://game.example/webhooks/skinsback-console",
  CONSOLE_FORWARD_SECRET: "whsec_ followed by base64, e.g. from `echo whsec_$(openssl rand -base64 32)`",
  CONSOLE_FORWARD_FORMAT: "standard, or skinsback",
  FORWARD_ALLOW_PRIVATE_NETWORKS: "1 (your backend is on this machine or the internal network)",
  FORWARD_RETRY_SCHEDULE: "0s,5s,5m,30m,2h,5h,10h,10h",
  RECONCILE_INTERVAL_SECONDS: "3600 (every hour, over the last 48 hours; a deep run over 9 days is daily)",
  RECONCILE_BUDGET_SHARE: "0.5 (reconciliation and the watchdogs use at most half of the 500 calls a minute)",
  WATCHDOG_INTERVAL_SECONDS: "300",
  ALERT_EVALUATE_SECONDS: "30",
  CONSOLE_ALERT_WEBHOOK_URL: "https://ops.example/hooks/skinsback-console",
  CONSOLE_ALERT_WEBHOOK_SECRET:
    "whsec_ followed by base64, e.g. from `echo whsec_$(openssl rand -base64 32)`",
  CONSOLE_ALERT_SMTP_URL: "smtps://alerts%40shop.example:app-password@smtp.example:465",
  CONSOLE_ALERT_EMAIL_TO: "ops@shop.example,oncall@shop.example",
  CONSOLE_ALERT_EMAIL_FROM: "console@shop.example",
  LOG_LEVEL: "info (or warn for less, debug to see health checks)",
  SHUTDOWN_DRAIN_SECONDS: "5 (the load balancer checks /api/health at least this often)",
  CONSOLE_METRICS_TOKEN: "a random string of 16 or more characters, e.g. from `openssl rand -hex 24`",
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

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * APP_ORIGIN must follow the port the server really listens on (`next start -p 3400` sets no PORT variable
 * before the configuration could be read): the sandbox posts its notifications there and the origin check
 * trusts it. An origin on this machine (loopback) whose port differs from the listening one is a start-up
 * mistake, said in words; a public origin behind a proxy may have any port.
 */
export function listeningPortProblem(
  config: Pick<AppConfig, "appOrigin">,
  listeningPort: string | undefined,
): string | undefined {
  if (!listeningPort) return undefined;
  const origin = new URL(config.appOrigin);
  if (!LOOPBACK_HOSTS.has(origin.hostname)) return undefined;
  const port = origin.port || (origin.protocol === "https:" ? "443" : "80");
  if (port === listeningPort) return undefined;
  return [
    "",
    "The console cannot start: the configuration has a problem.",
    "",
    "  APP_ORIGIN",
    `    problem: it names port ${port} on this machine, but the server listens on port ${listeningPort}; the sandbox would post notifications to the wrong port and the origin check would trust it`,
    `    example: APP_ORIGIN=${origin.protocol}//${origin.hostname}:${listeningPort} (or leave APP_ORIGIN unset: it follows PORT / -p)`,
    "",
  ].join("\n");
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
      resultUrlOrigins: [new URL(appOrigin).origin, ...(env.SANDBOX_RESULT_URL_ORIGINS ?? [])],
    },
    consoleApiKey: env.CONSOLE_API_KEY,
    metricsToken: env.CONSOLE_METRICS_TOKEN,
    shutdownDrainMs: (env.SHUTDOWN_DRAIN_SECONDS ?? 5) * 1000,
    logLevel: env.LOG_LEVEL ?? "info",
    trustedProxies: env.TRUSTED_PROXY_COUNT ?? 0,
    benchRoutes: env.CONSOLE_BENCH_ROUTES === "1",
    forwarding: {
      allowPrivateNetworks: env.FORWARD_ALLOW_PRIVATE_NETWORKS === "1",
      retryScheduleMs: env.FORWARD_RETRY_SCHEDULE ?? DEFAULT_RETRY_SCHEDULE_MS,
      environmentEndpoint: env.CONSOLE_FORWARD_URL
        ? {
            url: env.CONSOLE_FORWARD_URL,
            secret: env.CONSOLE_FORWARD_SECRET,
            format: env.CONSOLE_FORWARD_FORMAT ?? "standard",
          }
        : undefined,
    },
    failedSyncIntervalMs: (env.FAILED_SYNC_INTERVAL_SECONDS ?? 300) * 1000,
    reconciliation: {
      intervalMs: (env.RECONCILE_INTERVAL_SECONDS ?? 3600) * 1000,
      budgetShare: env.RECONCILE_BUDGET_SHARE ?? 0.5,
      watchdogIntervalMs: (env.WATCHDOG_INTERVAL_SECONDS ?? 300) * 1000,
    },
    alerts: {
      evaluateIntervalMs: (env.ALERT_EVALUATE_SECONDS ?? 30) * 1000,
      environmentWebhook:
        env.CONSOLE_ALERT_WEBHOOK_URL && env.CONSOLE_ALERT_WEBHOOK_SECRET
          ? { url: env.CONSOLE_ALERT_WEBHOOK_URL, secret: env.CONSOLE_ALERT_WEBHOOK_SECRET }
          : undefined,
      environmentEmail:
        env.CONSOLE_ALERT_SMTP_URL && env.CONSOLE_ALERT_EMAIL_TO
          ? {
              smtpUrl: env.CONSOLE_ALERT_SMTP_URL,
              to: env.CONSOLE_ALERT_EMAIL_TO,
              from: env.CONSOLE_ALERT_EMAIL_FROM,
            }
          : undefined,
    },
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
