import { and, eq, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { signInThrottle } from "@/lib/db/schema";

/**
 * Failed sign-in (and password-check) limits, shared by every instance through the database.
 *
 * An attempt is counted when it starts (`claimAttempt`), under row locks, so concurrent guesses cannot slip past
 * a limit; a right password clears the counts it is the owner of. Once a key has used its attempts in the window
 * it is locked: every attempt under that key — a right password too — is refused until the lock ends, with the
 * number of seconds to wait.
 *
 * The lock that a guesser can trigger is the one on their own (account, address) pair: a stranger from one
 * address locks only themselves out of that account, never the owner signing in from elsewhere. An account is
 * locked for everyone only past a much higher ceiling across all addresses (a distributed attack), and one
 * address trying many accounts (password spraying) is limited on its own.
 */
export const SIGN_IN_LIMITS = {
  /** Ten tries per account from one address; the eleventh within the window is refused. */
  accountAddress: { attempts: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  /** Across every address: ten addresses' worth before the account itself is locked. */
  account: { attempts: 100, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  /** One address trying many accounts (password spraying). */
  address: { attempts: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  /** Wrong current passwords of a signed-in operator (changing their password re-checks it). */
  passwordCheck: { attempts: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
} as const;

export type SignInScope = keyof typeof SIGN_IN_LIMITS;
export type SignInDecision =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; scope: SignInScope };

/** The pair key: one address's tries at one account (an unknown address is one address of its own). */
const pairKey = (account: string, address: string | null) => `${account} ${address ?? "unknown"}`;

/** Counts one sign-in attempt against its account, its (account, address) pair and its address. */
export function claimSignInAttempt(
  db: Db,
  keys: { account: string; address: string | null },
  now: Date = new Date(),
): Promise<SignInDecision> {
  const wanted: ThrottleKey[] = [
    { scope: "accountAddress", key: pairKey(keys.account, keys.address) },
    { scope: "account", key: keys.account },
  ];
  if (keys.address) wanted.push({ scope: "address", key: keys.address });
  return claimAttempt(db, wanted, now);
}

/** Counts one check of a signed-in operator's current password (a password change). */
export function claimPasswordCheck(db: Db, operatorId: string, now: Date = new Date()) {
  return claimAttempt(db, [{ scope: "passwordCheck", key: operatorId }], now);
}

/** The current password was right: the operator's count starts afresh (a running lock stays). */
export async function settlePasswordCheck(db: Db, operatorId: string): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(
      and(
        eq(signInThrottle.scope, "passwordCheck"),
        eq(signInThrottle.key, operatorId),
        sql`(${signInThrottle.lockedUntil} is null)`,
      ),
    );
}

type ThrottleKey = { scope: SignInScope; key: string };

async function claimAttempt(db: Db, wanted: ThrottleKey[], now: Date): Promise<SignInDecision> {
  return db.transaction(async (tx) => {
    await tx
      .insert(signInThrottle)
      .values(wanted.map((w) => ({ ...w, attempts: 0, windowStartedAt: now })))
      .onConflictDoNothing();
    // Rows locked in a fixed order (the order of `wanted`, the same for every claim) so two never deadlock.
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
 * A right password: the account and its pair with this address start afresh, and the address gets back the
 * attempt counted for this sign-in
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
        or(
          and(eq(signInThrottle.scope, "account"), eq(signInThrottle.key, keys.account)),
          and(
            eq(signInThrottle.scope, "accountAddress"),
            eq(signInThrottle.key, pairKey(keys.account, keys.address)),
          ),
        ),
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
