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
    RECONCILE_INTERVAL_SECONDS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,6}$/, "must be a whole number of seconds")
        .transform(Number)
        .refine((n) => n >= 10, "must be at least 10 seconds (SkinsBack's rate budget is shared)")
        .optional(),
    ),
    RECONCILE_BUDGET_SHARE: optionalText.pipe(
      z
        .string()
        .regex(/^(0(\.\d{1,3})?|1(\.0{1,3})?)$/, "must be a share from 0.01 to 1, e.g. 0.5")
        .transform(Number)
        .refine((n) => n >= 0.01, "must be at least 0.01")
        .optional(),
    ),
    WATCHDOG_INTERVAL_SECONDS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,6}$/, "must be a whole number of seconds")
        .transform(Number)
        .refine((n) => n >= 10, "must be at least 10 seconds")
        .optional(),
    ),
    ALERT_EVALUATE_SECONDS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, "must be a whole number of seconds")
        .transform(Number)
        .refine((n) => n >= 1, "must be at least 1 second")
        .optional(),
    ),
    CONSOLE_ALERT_WEBHOOK_URL: optionalText.pipe(
      z.url({ protocol: /^https?$/, error: "must be an http(s) URL that takes the alerts' JSON" }).optional(),
    ),
    CONSOLE_ALERT_WEBHOOK_SECRET: optionalText,
    CONSOLE_ALERT_SMTP_URL: optionalText.pipe(
      z
        .string()
        .regex(
          /^smtps?:\/\/[^\s]+$/,
          "must be an smtp:// or smtps:// URL, e.g. smtps://user:pass@mail.example:465",
        )
        .optional(),
    ),
    CONSOLE_ALERT_EMAIL_TO: optionalText.pipe(
      z
        .string()
        .transform((v) => v.split(",").map((a) => a.trim()))
        .pipe(z.array(z.email("must be comma-separated e-mail addresses")))
        .optional(),
    ),
    CONSOLE_ALERT_EMAIL_FROM: optionalText.pipe(z.email("must be an e-mail address").optional()),
    LOG_LEVEL: optionalText.pipe(
      z
        .enum(
          ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
          "must be fatal, error, warn, info, debug, trace or silent",
        )
        .optional(),
    ),
    SHUTDOWN_DRAIN_SECONDS: optionalText.pipe(
      z
        .string()
        .regex(/^\d{1,2}$/, "must be a whole number of seconds, 0 to 99")
        .transform(Number)
        .optional(),
    ),
    CONSOLE_METRICS_TOKEN: optionalText.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    CONSOLE_AUTH_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    TRUSTED_PROXY_COUNT: optionalText.pipe(
      z
        .string()
        .regex(/^\d$/, "must be the number of proxies in front of the app, 0 to 9")
        .transform(Number)
        .optional(),
    ),
    SANDBOX_RESULT_URL_ORIGINS: optionalText.pipe(
      z
        .string()
        .transform((v) => v.split(",").map((o) => o.trim()))
        .pipe(
          z.array(
            z
              .url({ protocol: /^https?$/, error: "must be comma-separated http(s) origins" })
              .transform((u) => new URL(u).origin),
          ),
        )
        .optional(),
    ),
    CONSOLE_FORWARD_URL: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, error: "must be an http(s) URL of your backend's webhook route" })
        .optional(),
    ),
    CONSOLE_FORWARD_SECRET: optionalText,
    CONSOLE_FORWARD_FORMAT: optionalText.pipe(z.enum(["standard", "skinsback"]).optional()),
    FORWARD_ALLOW_PRIVATE_NETWORKS: optionalText.pipe(z.enum(["0", "1"], "must be 1 or 0").optional()),
    FORWARD_RETRY_SCHEDULE: optionalText.pipe(
      z
        .string()
        .transform((v, ctx) => {
          const schedule = parseRetrySchedule(v);
          if (!schedule) {
            ctx.addIssue({
              code: "custom",
              message: "must be 1 to 20 comma-separated delays like 0s, 5s, 5m, 2h (each at most 24h)",
            });
            return z.NEVER;
          }
          return schedule;
        })
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
    if (env.CONSOLE_ALERT_WEBHOOK_URL !== undefined) {
      const secret = env.CONSOLE_ALERT_WEBHOOK_SECRET;
      if (secret === undefined || !isStandardWebhookSecret(secret)) {
        ctx.addIssue({
          code: "custom",
          path: ["CONSOLE_ALERT_WEBHOOK_SECRET"],
          message:
            "CONSOLE_ALERT_WEBHOOK_URL needs a secret whsec_<base64 of at least 24 random bytes> to sign with",
        });
      }
    } else if (env.CONSOLE_ALERT_WEBHOOK_SECRET !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["CONSOLE_ALERT_WEBHOOK_URL"],
        message: "CONSOLE_ALERT_WEBHOOK_SECRET needs CONSOLE_ALERT_WEBHOOK_URL",
      });
    }
    if ((env.CONSOLE_ALERT_SMTP_URL === undefined) !== (env.CONSOLE_ALERT_EMAIL_TO === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [
          env.CONSOLE_ALERT_SMTP_URL === undefined ? "CONSOLE_ALERT_SMTP_URL" : "CONSOLE_ALERT_EMAIL_TO",
        ],
        message: "CONSOLE_ALERT_SMTP_URL and CONSOLE_ALERT_EMAIL_TO must be set together",
      });
    }
    if ((env.CONSOLE_ADMIN_EMAIL === undefined) !== (env.CONSOLE_ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [env.CONSOLE_ADMIN_EMAIL === undefined ? "CONSOLE_ADMIN_EMAIL" : "CONSOLE_ADMIN_PASSWORD"],
        message: "CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD must be set together",
      });
    }
    if (env.CONSOLE_FORWARD_URL !== undefined) {
      const format = env.CONSOLE_FORWARD_FORMAT ?? "standard";
      const secret = env.CONSOLE_FORWARD_SECRET;
      if (format === "standard" && (secret === undefined || !isStandardWebhookSecret(secret))) {
        ctx.addIssue({
          code: "custom",
          path: ["CONSOLE_FORWARD_SECRET"],
          message:
            "the standard format needs a secret whsec_<base64 of at least 24 random bytes> with CONSOLE_FORWARD_URL",
        });
      }
    } else if (env.CONSOLE_FORWARD_SECRET !== undefined || env.CONSOLE_FORWARD_FORMAT !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["CONSOLE_FORWARD_URL"],
        message: "CONSOLE_FORWARD_SECRET and CONSOLE_FORWARD_FORMAT need CONSOLE_FORWARD_URL",
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

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** Svix's schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure. */
export const DEFAULT_RETRY_SCHEDULE_MS = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** `0s,5s,5m,2h` → milliseconds; undefined when any part is not `<n>s|m|h` up to 24 h, or there are over 20. */
export function parseRetrySchedule(text: string): number[] | undefined {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.length > 20) return undefined;
  const delays: number[] = [];
  for (const part of parts) {
    const match = /^(\d{1,5})([smh])$/.exec(part);
    if (!match) return undefined;
    const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    if (ms > 86_400_000) return undefined;
    delays.push(ms);
  }
  return delays;
}

/** `whsec_` and the base64 of at least 24 bytes (Standard Webhooks' rule for a signing secret). */
export function isStandardWebhookSecret(secret: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  return match !== null && Buffer.from(match[1] as string, "base64").length >= 24;
}

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

/** Every variable the console reads, in the schema's order (the README's configuration table is tested against it). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

/** Variables whose value is a secret: shown as "set (N characters)", never as text. */
const SECRET_VARIABLES = new Set([
  "SKINSBACK_CLIENT_SECRET",
  "CONSOLE_API_KEY",
  "CONSOLE_ADMIN_PASSWORD",
  "CONSOLE_AUTH_SECRET",
  "CONSOLE_FORWARD_SECRET",
  "CONSOLE_ALERT_WEBHOOK_SECRET",
  "CONSOLE_METRICS_TOKEN",
]);
/** Variables holding a URL that may carry a password (the password is masked, the rest shown). */
const URL_VARIABLES = new Set(["DATABASE_URL", "CONSOLE_ALERT_SMTP_URL"]);

/**
 * The configuration as `npm run config:check` prints it: each variable that is set, its value with secrets
 * masked, then what the console derives from them. Throws ConfigError as parseConfig does.
 */
export function describeConfig(source: Record<string, string | undefined>): string[] {
  const config = parseConfig(source);
  const lines = ["Variables set:"];
  for (const name of CONFIG_VARIABLES) {
    const value = source[name]?.trim();
    if (!value) continue;
    lines.push(`  ${name} = ${maskedValue(name, value)}`);
  }
  if (lines.length === 1) lines.push("  (none: every default applies)");
  lines.push(
    "Effective configuration:",
    `  database: ${config.database.kind === "postgres" ? `PostgreSQL at ${maskedUrl(config.database.url)}` : `embedded PGlite in ${config.database.dataDir}`}`,
    `  SkinsBack: ${config.skinsback.mode} mode, Client ID ${config.skinsback.clientId}, API ${config.skinsback.apiUrl}`,
    `  origin: ${config.appOrigin}; trusted proxies: ${config.trustedProxies}`,
    `  forwarding: ${config.forwarding.environmentEndpoint ? `default endpoint ${config.forwarding.environmentEndpoint.url} (${config.forwarding.environmentEndpoint.format})` : "no configured endpoint"}; private networks ${config.forwarding.allowPrivateNetworks ? "allowed" : "refused"}`,
    `  jobs: failed-list sync every ${config.failedSyncIntervalMs / 1000} s; reconciliation every ${config.reconciliation.intervalMs / 1000} s (budget share ${config.reconciliation.budgetShare}); watchdog every ${config.reconciliation.watchdogIntervalMs / 1000} s; alerts every ${config.alerts.evaluateIntervalMs / 1000} s`,
    `  alert channels from the environment: ${[config.alerts.environmentWebhook ? "webhook" : null, config.alerts.environmentEmail ? "e-mail" : null].filter(Boolean).join(", ") || "none"}`,
    `  first admin: ${config.auth.firstAdmin ? config.auth.firstAdmin.email : "none (the /setup page, or an existing operator)"}; cookies ${config.auth.secureCookies ? "Secure (https)" : "not Secure (http)"}`,
  );
  return lines;
}

function maskedValue(name: string, value: string): string {
  if (SECRET_VARIABLES.has(name)) return `[set, ${value.length} characters]`;
  if (URL_VARIABLES.has(name)) return maskedUrl(value);
  return value;
}

/** A URL with its password (if any) replaced by ****. */
function maskedUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = "****";
    return url.toString();
  } catch {
    return "[set, not a URL]";
  }
}
