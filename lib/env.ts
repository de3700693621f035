import { z } from "zod";

/**
 * The only reader of process.env. Everything is validated once; a bad value fails start-up with a message that
 * names the variable and what is wrong with it, never the value itself (it may be a secret).
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
    PGLITE_DATA_DIR: optionalText.transform((s) => s ?? ".data/pglite"),
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
  /** Protects the SkinsBack proxy until operator sign-in exists; unset → the proxy refuses every call. */
  consoleApiKey: string | undefined;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Pure: validates a given environment. Messages name variables, never values. */
export function parseConfig(source: Record<string, string | undefined>): AppConfig {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
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
      : { kind: "pglite", dataDir: env.PGLITE_DATA_DIR },
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
  };
}

let cached: AppConfig | undefined;

/** The process configuration, validated on first use. */
export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
