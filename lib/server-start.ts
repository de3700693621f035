import "server-only";
import { ensureStartupOperators } from "@/lib/auth/startup";
import { ConfigError, formatConfigError } from "@/lib/config";
import { getDatabase } from "@/lib/db";
import { PgliteFolderInUseError } from "@/lib/db/client";
import { getConfig } from "@/lib/env";
import { installPeerAddressHeader } from "@/lib/http/client-address";
import { describeError } from "@/lib/http/describe-error";

/**
 * What a server instance does once at start (Node.js runtime only): opens and migrates the database, and in
 * sandbox mode starts the simulator's clock; creates the operators the start asks for (lib/auth/startup.ts). The configuration was already checked by next.config.ts; a mistake
 * that can only be seen here (the embedded database's folder held by another process) stops this process with a
 * readable message rather than leaving it to answer every request with an error.
 */
export async function startServer(): Promise<void> {
  let config: ReturnType<typeof getConfig>;
  try {
    config = getConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stop(formatConfigError(error));
  }
  console.info(`[config] SkinsBack mode: ${config.skinsback.mode}`);
  installPeerAddressHeader();
  let db: Awaited<ReturnType<typeof getDatabase>>["db"];
  try {
    ({ db } = await getDatabase());
  } catch (caught) {
    const error = caught as Error;
    // Compared by name: the class may be loaded twice in different server bundles.
    if (error.name === PgliteFolderInUseError.name) stop(`\nThe console cannot start: ${error.message}\n`);
    // Otherwise not fatal: /api/health answers 503 and requests retry opening until the database is back.
    console.error(`[db] not ready at start: ${error.message}`);
    return;
  }
  try {
    for (const message of await ensureStartupOperators(db, config)) console.info(`[auth] ${message}`);
  } catch (error) {
    console.error(`[auth] could not set up the first operators: ${describeError(error)}`);
  }
  const { startFailedNotificationJobs } = await import("@/lib/failed-notifications/runtime");
  startFailedNotificationJobs(async () => (await getDatabase()).db, config);
  if (config.skinsback.mode === "sandbox") {
    const { startSandboxLoop } = await import("@/lib/sandbox/runtime");
    startSandboxLoop();
  }
}

function stop(message: string): never {
  console.error(message);
  process.exit(1);
}
