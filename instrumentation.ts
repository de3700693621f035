/**
 * Runs once when a server instance starts: validates the configuration (a bad variable stops the start with a
 * clear message), opens and migrates the database, and in sandbox mode starts the simulator's clock.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("@/lib/env");
  const config = getConfig();
  console.info(`[config] SkinsBack mode: ${config.skinsback.mode}`);
  const { getDatabase } = await import("@/lib/db");
  try {
    await getDatabase();
  } catch (error) {
    // Not fatal: /api/health answers 503 and requests retry opening until the database is back.
    console.error(`[db] not ready at start: ${(error as Error).message}`);
    return;
  }
  if (config.skinsback.mode === "sandbox") {
    const { startSandboxLoop } = await import("@/lib/sandbox/runtime");
    startSandboxLoop();
  }
}
