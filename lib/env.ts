import "server-only";
import { type AppConfig, parseConfig } from "./config";

/** The only reader of the process environment inside the app: validated once, on first use. */
let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  cached ??= parseConfig(process.env);
  return cached;
}
