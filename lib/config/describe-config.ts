import { envSchema } from "./env-schema";
import { parseConfig } from "./parse-config";

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
