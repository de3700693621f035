import "server-only";
import { eq } from "drizzle-orm";
import { cache } from "react";
import { getDatabase } from "@/lib/db";
import { operatorSessions } from "@/lib/db/schema";
import { getConfig } from "@/lib/env";
import { type ConsoleAuth, createConsoleAuth, resolveAuthSecret } from "./auth";
import { isOperatorRole, type OperatorRole } from "./roles";
import { SESSION_ABSOLUTE_SECONDS, SESSION_IDLE_SECONDS, SESSION_TOUCH_SECONDS } from "./session-policy";

/** The process's better-auth instance, built once the database (which may hold the secret) is open. */
type Holder = { ready?: Promise<ConsoleAuth> };
const globalScope = globalThis as { __consoleAuth?: Holder };
globalScope.__consoleAuth ??= {};
const holder: Holder = globalScope.__consoleAuth;

export function getAuth(): Promise<ConsoleAuth> {
  holder.ready ??= (async () => {
    const { db } = await getDatabase();
    const config = getConfig();
    return createConsoleAuth(db, config, await resolveAuthSecret(db, config.auth.secret));
  })().catch((error) => {
    holder.ready = undefined;
    throw error;
  });
  return holder.ready;
}

export type SignedInOperator = {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  /** Signed in with a one-time password: may do nothing but choose a new one (lib/auth/page-guard.ts). */
  mustChangePassword: boolean;
  sessionId: string;
};

/**
 * The operator behind a request's session cookie, or null. Null too when the operator is disabled, or the session
 * passed its absolute (12 h) or idle (30 min) expiry — such a session is deleted, so the cookie is dead for good.
 * Activity moves the idle clock at most once a minute.
 */
export async function resolveOperator(headers: Headers, now = new Date()): Promise<SignedInOperator | null> {
  const auth = await getAuth();
  const found = await auth.api.getSession({ headers, query: { disableCookieCache: true } });
  if (!found) return null;
  const { session, user } = found;
  const { db } = await getDatabase();
  const age = (now.getTime() - new Date(session.createdAt).getTime()) / 1000;
  const idle = (now.getTime() - new Date(session.updatedAt).getTime()) / 1000;
  if (age > SESSION_ABSOLUTE_SECONDS || idle > SESSION_IDLE_SECONDS) {
    await db.delete(operatorSessions).where(eq(operatorSessions.id, session.id));
    return null;
  }
  const extra = user as { role?: unknown; disabledAt?: unknown; mustChangePassword?: unknown };
  if (extra.disabledAt || !isOperatorRole(extra.role)) return null;
  if (idle > SESSION_TOUCH_SECONDS) {
    await db.update(operatorSessions).set({ updatedAt: now }).where(eq(operatorSessions.id, session.id));
  }
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: extra.role,
    mustChangePassword: extra.mustChangePassword === true,
    sessionId: session.id,
  };
}

/** Once per server render: the layout and the page ask for the same operator. */
export const currentOperator = cache(async (): Promise<SignedInOperator | null> => {
  const { headers } = await import("next/headers");
  return resolveOperator(await headers());
});
