import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import {
  claimFirstAdmin,
  createOperator,
  findOperatorByEmail,
  hasFirstAdmin,
  OperatorInputError,
  SANDBOX_DEMO_ADMIN,
} from "./operators";

/**
 * Operators that exist because of how the console was started:
 * - CONSOLE_ADMIN_EMAIL + CONSOLE_ADMIN_PASSWORD: that admin is created when no operator has the email (never
 *   overwritten: change the password in the console, not by restarting);
 * - sandbox mode, no admin yet: the demo admin, whose credentials the sign-in page and the terminal show.
 *   Never in live mode.
 * Safe when several instances start at once: the first admin is claimed in the database.
 */
export async function ensureStartupOperators(db: Db, config: AppConfig): Promise<string[]> {
  const messages: string[] = [];
  const wanted = config.auth.firstAdmin;
  if (wanted && !(await findOperatorByEmail(db, wanted.email))) {
    const input = { email: wanted.email, name: "Admin", password: wanted.password };
    const first = await claimFirstAdmin(db, { ...input, via: "environment" });
    if (!first) {
      await createOperator(db, { ...input, role: "admin" }, { actor: { kind: "system" } }).catch((error) => {
        if (!(error instanceof OperatorInputError)) throw error; // another instance created it just now
      });
    }
    messages.push(`admin ${wanted.email} created from CONSOLE_ADMIN_EMAIL`);
  }
  const demo = await sandboxDemoAdmin(db, config, { create: true });
  if (demo) {
    messages.push(
      `sandbox demo admin: sign in at ${config.appOrigin}/sign-in as ${demo.email} / ${demo.password}`,
    );
  } else if (!(await hasFirstAdmin(db))) {
    messages.push(`no admin yet: open ${config.appOrigin}/setup to create the first one`);
  }
  return messages;
}

/**
 * Whether the operators this start asks for exist yet (health is ready only then, so a sign-in the balancer lets
 * through is never refused for an admin still being created): the CONSOLE_ADMIN_EMAIL admin when one is set, in
 * sandbox mode a first admin. A live console with neither waits for /setup, which health does not wait for.
 */
export async function startupOperatorsReady(
  db: Db,
  config: Pick<AppConfig, "auth" | "skinsback">,
): Promise<boolean> {
  const wanted = config.auth.firstAdmin;
  if (wanted) return (await findOperatorByEmail(db, wanted.email)) !== undefined;
  if (config.skinsback.mode === "sandbox") return hasFirstAdmin(db);
  return true;
}

/**
 * The demo admin's credentials when they are worth showing: sandbox mode only, and only while that operator
 * exists and is enabled (an admin who disabled it has said the demo is over).
 */
export async function sandboxDemoAdmin(
  db: Db,
  config: Pick<AppConfig, "skinsback">,
  options: { create?: boolean } = {},
): Promise<{ email: string; password: string } | undefined> {
  if (config.skinsback.mode !== "sandbox") return undefined;
  if (options.create && !(await hasFirstAdmin(db))) {
    await claimFirstAdmin(db, { ...SANDBOX_DEMO_ADMIN, via: "sandbox-demo" });
  }
  const demo = await findOperatorByEmail(db, SANDBOX_DEMO_ADMIN.email);
  if (!demo || demo.disabledAt) return undefined;
  return { email: SANDBOX_DEMO_ADMIN.email, password: SANDBOX_DEMO_ADMIN.password };
}
