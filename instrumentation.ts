/**
 * Runs once when a server instance starts: validates the configuration (a bad variable stops the start with a
 * clear message) and opens and migrates the database, so the first notification does not pay for it.
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
  }
}
