import { z } from "zod";

/**
 * The environment the console reads, as one zod schema: every variable, its rule and its message. Pure (no
 * `server-only`, no I/O) so next.config.ts can check the configuration before the server says "Ready".
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

export const envSchema = z
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
