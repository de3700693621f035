import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { signInThrottle } from "@/lib/db/schema";

/**
 * Failed sign-in limits, shared by every instance through the database.
 *
 * An attempt is counted when it starts (`claimSignInAttempt`), under a row lock, so concurrent guesses cannot
 * slip past the limit; a right password clears the account's count (`clearAccountAttempts`). Once a key has used
 * its attempts in the window, it is locked: every attempt — a right password too — is refused until the lock
 * ends, with the number of seconds to wait.
 */
export const SIGN_IN_LIMITS = {
  /** Ten tries per account; the eleventh within the window is refused. */
  account: { attempts: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  /** One address trying many accounts (password spraying). */
  address: { attempts: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
} as const;

export type SignInScope = keyof typeof SIGN_IN_LIMITS;
export type SignInDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; scope: SignInScope };

export async function claimSignInAttempt(
  db: Db,
  keys: { account: string; address: string | null },
  now: Date = new Date(),
): Promise<SignInDecision> {
  const wanted: Array<{ scope: SignInScope; key: string }> = [{ scope: "account", key: keys.account }];
  if (keys.address) wanted.push({ scope: "address", key: keys.address });
  return db.transaction(async (tx) => {
    await tx
      .insert(signInThrottle)
      .values(wanted.map((w) => ({ ...w, attempts: 0, windowStartedAt: now })))
      .onConflictDoNothing();
    // Rows locked in a fixed order (account before address) so two claims never deadlock.
    const rows = [];
    for (const w of wanted) {
      const [row] = await tx
        .select()
        .from(signInThrottle)
        .where(and(eq(signInThrottle.scope, w.scope), eq(signInThrottle.key, w.key)))
        .for("update");
      if (row) rows.push(row);
    }
    // A running lock refuses without counting.
    let refusal: SignInDecision | undefined;
    for (const row of rows) {
      if (row.lockedUntil && row.lockedUntil > now) {
        const seconds = Math.max(1, Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000));
        if (!refusal || (!refusal.allowed && seconds > refusal.retryAfterSeconds)) {
          refusal = { allowed: false, retryAfterSeconds: seconds, scope: row.scope };
        }
      }
    }
    if (refusal) return refusal;
    for (const row of rows) {
      const limit = SIGN_IN_LIMITS[row.scope];
      const windowOver = now.getTime() - row.windowStartedAt.getTime() >= limit.windowSeconds * 1000;
      const attempts = windowOver ? 1 : row.attempts + 1;
      const lockedUntil =
        attempts > limit.attempts ? new Date(now.getTime() + limit.lockSeconds * 1000) : null;
      await tx
        .update(signInThrottle)
        .set({ attempts, windowStartedAt: windowOver ? now : row.windowStartedAt, lockedUntil })
        .where(and(eq(signInThrottle.scope, row.scope), eq(signInThrottle.key, row.key)));
      if (lockedUntil && (!refusal || refusal.allowed)) {
        refusal = { allowed: false, retryAfterSeconds: limit.lockSeconds, scope: row.scope };
      }
    }
    return refusal ?? { allowed: true };
  });
}

/**
 * A right password: the account starts afresh, and the address gets back the attempt counted for this sign-in
 * (only failures count against an address: a busy office signing in all day is not a password spray; its other
 * failures still count).
 */
export async function settleSuccessfulSignIn(
  db: Db,
  keys: { account: string; address: string | null },
): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(
      and(
        eq(signInThrottle.scope, "account"),
        eq(signInThrottle.key, keys.account),
        sql`(${signInThrottle.lockedUntil} is null)`,
      ),
    );
  if (keys.address) {
    await db
      .update(signInThrottle)
      .set({ attempts: sql`greatest(${signInThrottle.attempts} - 1, 0)` })
      .where(
        and(
          eq(signInThrottle.scope, "address"),
          eq(signInThrottle.key, keys.address),
          sql`(${signInThrottle.lockedUntil} is null)`,
        ),
      );
  }
}
