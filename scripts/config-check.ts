// npm run config:check — the deploy step before migrations: validates this environment as the console will read
// it and prints the effective configuration with secrets masked. Exit 1 (and the problems, each with an example)
// on any error; nothing is connected to and nothing is written.
import nextEnv from "@next/env";
import { ConfigError, describeConfig, formatConfigError } from "../lib/config/index";

// The same .env files `next start` (production) or `next dev` would read.
nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", {
  info: () => {},
  error: console.error,
});

try {
  console.log(describeConfig(process.env).join("\n"));
  console.log("\nThe configuration is valid.");
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(formatConfigError(error));
  process.exit(1);
}
