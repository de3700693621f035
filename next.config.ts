import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from "next/constants";
import { type AppConfig, ConfigError, formatConfigError, parseConfig } from "./lib/config/index";
import { STATIC_SECURITY_HEADERS } from "./lib/security/headers";

/**
 * Checked here, before Next prints "Ready", when a server starts (`next dev`, `next start`): a bad variable stops
 * the start with one readable block and exit code 1. `next build` does not check: a build carries no secrets and
 * production variables are set where the server runs.
 */
function checkedConfig(): AppConfig {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(formatConfigError(error));
    process.exit(1);
  }
}

export default function nextConfig(phase: string): NextConfig {
  const serving = phase === PHASE_DEVELOPMENT_SERVER || phase === PHASE_PRODUCTION_SERVER;
  const config = serving ? checkedConfig() : undefined;
  return {
    // NEXT_OUTPUT=standalone (the image's build, deploy/Dockerfile): a self-contained server.js with only the
    // node_modules it needs. The migrations and PGlite's WASM and data files are read from disk at run time, so
    // they are traced in by name.
    ...(process.env.NEXT_OUTPUT === "standalone"
      ? {
          output: "standalone" as const,
          outputFileTracingIncludes: {
            "/**": ["./drizzle/**/*", "./node_modules/@electric-sql/pglite/dist/**/*"],
          },
        }
      : {}),
    // PGlite ships WASM and data files that must be loaded from node_modules at run time, not bundled.
    serverExternalPackages: ["@electric-sql/pglite"],
    poweredByHeader: false,
    // On every path, static files and the machine routes the proxy skips included; proxy.ts adds the
    // per-request ones (the Content Security Policy's nonce, HSTS on https).
    headers: async () => [
      {
        source: "/:path*",
        headers: STATIC_SECURITY_HEADERS.map(([key, value]) => ({ key, value })),
      },
    ],
    // forbidden() from next/navigation: a signed-in operator without the role a page needs gets a 403 page.
    experimental: { authInterrupts: true },
    reactStrictMode: true,
    // The app is opened at localhost, 127.0.0.1 (the links it prints) or its configured origin; without these the
    // dev server refuses its own HMR socket and client code from them, and no client component ever runs.
    allowedDevOrigins: [
      "localhost",
      "127.0.0.1",
      "[::1]",
      ...(config ? [new URL(config.appOrigin).hostname] : []),
    ],
    logging: {
      // The sandbox posts thousands of notifications at a first start; each is recorded in the delivery log,
      // so the dev terminal keeps to pages, API calls and the app's own progress lines.
      incomingRequests: {
        ignore: [
          /\/api\/webhooks\/skinsback/,
          /\/api\/health/,
          /\/sandbox\/failing-result-url/,
          /\/sandbox\/merchant/,
        ],
      },
    },
  };
}
