import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { eq } from "drizzle-orm";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import {
  authVerifications,
  consoleSecrets,
  operatorAccounts,
  operatorSessions,
  operators,
} from "@/lib/db/schema";
import { clientAddress } from "@/lib/http/client-address";
import { findUnstorableText } from "@/lib/text/storable-text";
import { SESSION_COOKIE_PREFIX } from "./auth-cookies";
import { allowedOrigins } from "./origin";
import { SESSION_ABSOLUTE_SECONDS } from "./session-policy";
import { claimSignInAttempt, settleSuccessfulSignIn } from "./sign-in-throttle";

/**
 * better-auth, configured for the console: email + password only (scrypt hashes), sessions in our database
 * (tables in lib/db/schema.ts, migrations in drizzle/), no self sign-up (admins create operators), cookies
 * HttpOnly + SameSite=Lax, Secure on https. Its hooks add what the library does not do for us: failed sign-in
 * limits kept in the database (lib/auth/sign-in-throttle.ts) and the audit log.
 *
 * Expiry: better-auth's own expiry is the absolute one (the session row and the cookie end 12 h after sign-in,
 * never extended); the idle expiry is checked on every request in lib/auth/session.ts.
 */

/**
 * The only endpoints of the library that are served over HTTP (`/api/auth/...`); every other one answers 404 in
 * the route (app/api/auth/[...all]) before the library sees the request. The library has dozens (verify-password,
 * get-session, list-sessions, change-password, sign-up…) that would answer tokens, check passwords outside the
 * sign-in limits or change accounts outside the audit log; the console itself calls the ones it needs (sessions,
 * password changes) on the server through `auth.api`, never over HTTP.
 */
/**
 * A sign-in is an email and a password: 4 KB is plenty. Anonymous routes read no more than that (413 past it),
 * like every other route reads no more than its own limit.
 */
export const MAX_SIGN_IN_BODY_BYTES = 4 * 1024;

export const SERVED_AUTH_ENDPOINTS: ReadonlySet<string> = new Set([
  "POST /api/auth/sign-in/email",
  "POST /api/auth/sign-out",
]);

export function isServedAuthEndpoint(method: string, pathname: string): boolean {
  return SERVED_AUTH_ENDPOINTS.has(`${method.toUpperCase()} ${pathname.replace(/\/+$/, "")}`);
}

const MAX_EMAIL_LENGTH = 320;

/** The account a sign-in names, as it is stored and limited: trimmed, lower-cased ("" when absent). */
const signInEmail = (body: { email?: unknown } | undefined) =>
  typeof body?.email === "string" ? body.email.trim().toLowerCase() : "";

export type ConsoleAuth = ReturnType<typeof createConsoleAuth>;

export function createConsoleAuth(db: Db, config: AppConfig, secret: string) {
  const addressOf = (headers: Headers | undefined) =>
    headers ? clientAddress(headers, config.trustedProxies) : null;

  return betterAuth({
    appName: "SkinsBack console",
    baseURL: config.appOrigin,
    basePath: "/api/auth",
    secret,
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user: operators,
        session: operatorSessions,
        account: operatorAccounts,
        verification: authVerifications,
      },
    }),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, maxPasswordLength: 256 },
    user: {
      additionalFields: {
        role: { type: "string", required: false, input: false, defaultValue: "viewer" },
        disabledAt: { type: "date", required: false, input: false },
        mustChangePassword: { type: "boolean", required: false, input: false, defaultValue: false },
      },
    },
    session: {
      expiresIn: SESSION_ABSOLUTE_SECONDS,
      disableSessionRefresh: true,
      cookieCache: { enabled: false },
    },
    // Our own limits (per account and per address, in the database) replace the library's in-memory ones.
    rateLimit: { enabled: false },
    trustedOrigins: (request) => (request ? allowedOrigins(request.headers, config) : [config.appOrigin]),
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: SESSION_COOKIE_PREFIX,
      useSecureCookies: config.auth.secureCookies,
      // Addresses come from lib/http/client-address.ts (it knows how many proxies to trust).
      ipAddress: { disableIpTracking: true },
    },
    logger: { disabled: config.nodeEnv === "test" },
    databaseHooks: {
      session: {
        create: {
          // Reached only after the password was checked: a disabled operator learns it, a guesser does not.
          before: async (session, ctx) => {
            const [operator] = await db
              .select({ disabledAt: operators.disabledAt })
              .from(operators)
              .where(eq(operators.id, session.userId));
            if (!operator || operator.disabledAt) {
              throw new APIError("FORBIDDEN", {
                message: "This operator is disabled. Ask an admin to enable it.",
              });
            }
            return { data: { ...session, ipAddress: addressOf(ctx?.headers) } };
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path === "/sign-in/email") {
          const email = signInEmail(ctx.body);
          if (email === "" || email.length > MAX_EMAIL_LENGTH || findUnstorableText(email)) {
            throw new APIError("BAD_REQUEST", { message: "Enter a valid email address." });
          }
          if (typeof ctx.body?.password === "string" && findUnstorableText(ctx.body.password)) {
            throw new APIError("BAD_REQUEST", {
              message: "The password holds characters that cannot be used.",
            });
          }
          const address = addressOf(ctx.headers);
          const decision = await claimSignInAttempt(db, { account: email, address });
          if (!decision.allowed) {
            await recordAudit(db, {
              actor: { kind: "anonymous", email },
              action: "sign-in.locked",
              outcome: "refused",
              address,
              detail: { limit: decision.scope, retryAfterSeconds: decision.retryAfterSeconds },
            });
            throw new APIError(
              "TOO_MANY_REQUESTS",
              {
                message: `Too many attempts, try again in ${decision.retryAfterSeconds} s.`,
                code: "TOO_MANY_ATTEMPTS",
                retryAfterSeconds: decision.retryAfterSeconds,
              },
              { "Retry-After": String(decision.retryAfterSeconds) },
            );
          }
        }
        if (ctx.path === "/sign-out") {
          const current = await getSessionFromCtx(ctx).catch(() => null);
          if (current) {
            const user = current.user as { id: string; email: string };
            await recordAudit(db, {
              actor: { kind: "operator", id: user.id, email: user.email },
              action: "sign-out",
              outcome: "ok",
              address: addressOf(ctx.headers),
            });
          }
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = signInEmail(ctx.body);
        const address = addressOf(ctx.headers);
        const returned = ctx.context.returned;
        if (isAPIError(returned)) {
          if (returned.statusCode === 429 || returned.statusCode === 400) return;
          await recordAudit(db, {
            actor: { kind: "anonymous", email },
            action: "sign-in.failed",
            outcome: "refused",
            address,
            detail: { reason: returned.body?.message ?? returned.message },
          });
          return;
        }
        const session = ctx.context.newSession;
        if (!session) return;
        await settleSuccessfulSignIn(db, { account: email, address });
        const actor: AuditActor = { kind: "operator", id: session.user.id, email: session.user.email };
        await recordAudit(db, { actor, action: "sign-in", outcome: "ok", address });
        // The session token travels in the HttpOnly cookie only, never in JSON a page could read.
        const { id, name } = session.user;
        return ctx.json({ redirect: false, user: { id, name, email: session.user.email } });
      }),
    },
  });
}

/**
 * The secret that signs session cookies: CONSOLE_AUTH_SECRET, or one generated on first start and kept in the
 * database so that every instance (and every restart) uses the same one.
 */
export async function resolveAuthSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db
    .insert(consoleSecrets)
    .values({ name: "auth-secret", value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db.select().from(consoleSecrets).where(eq(consoleSecrets.name, "auth-secret"));
  if (!row) throw new Error("the auth secret could not be stored");
  return row.value;
}
