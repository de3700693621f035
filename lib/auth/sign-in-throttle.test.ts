import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "@/lib/testing/databases";
import { claimSignInAttempt, SIGN_IN_LIMITS, settleSuccessfulSignIn } from "./sign-in-throttle";

describe.each(TEST_DATABASE_KINDS)("failed sign-in limits, on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.drop());
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 12, 0, 0) + seconds * 1000);

  it("ten attempts per account from one address; the eleventh is refused with the wait, which ends when the lock does", async () => {
    const db = database.handle.db;
    const keys = { account: "alice@example.com", address: "203.0.113.1" };
    for (let i = 0; i < SIGN_IN_LIMITS.accountAddress.attempts; i++) {
      expect(await claimSignInAttempt(db, keys, at(i))).toEqual({ allowed: true });
    }
    expect(await claimSignInAttempt(db, keys, at(20))).toEqual({
      allowed: false,
      scope: "accountAddress",
      retryAfterSeconds: SIGN_IN_LIMITS.accountAddress.lockSeconds,
    });
    // Still locked 100 s later from that address; the wait counts down.
    expect(await claimSignInAttempt(db, keys, at(120))).toEqual({
      allowed: false,
      scope: "accountAddress",
      retryAfterSeconds: SIGN_IN_LIMITS.accountAddress.lockSeconds - 100,
    });
    // A right password cannot clear a running lock.
    await settleSuccessfulSignIn(db, keys);
    expect((await claimSignInAttempt(db, keys, at(121))).allowed).toBe(false);
    // Once the lock is over, a new window starts.
    expect(await claimSignInAttempt(db, keys, at(20 + SIGN_IN_LIMITS.accountAddress.lockSeconds))).toEqual({
      allowed: true,
    });
  });

  it("concurrent guesses cannot slip past the limit", async () => {
    const db = database.handle.db;
    const keys = { account: "bob@example.com", address: null };
    const decisions = await Promise.all(
      Array.from({ length: 25 }, () => claimSignInAttempt(db, keys, at(0))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(SIGN_IN_LIMITS.accountAddress.attempts);
  });

  it("successful sign-ins do not count against their address; failures in between still do", async () => {
    const db = database.handle.db;
    const address = "192.0.2.77";
    for (let i = 0; i < SIGN_IN_LIMITS.address.attempts + 20; i++) {
      const keys = { account: `staff${i % 5}@example.com`, address };
      expect((await claimSignInAttempt(db, keys, at(i))).allowed).toBe(true);
      await settleSuccessfulSignIn(db, keys);
    }
    for (let i = 0; i < SIGN_IN_LIMITS.address.attempts; i++) {
      expect(
        (await claimSignInAttempt(db, { account: `guess${i}@example.com`, address }, at(100 + i))).allowed,
      ).toBe(true);
    }
    expect(
      await claimSignInAttempt(db, { account: "guess-more@example.com", address }, at(200)),
    ).toMatchObject({
      allowed: false,
      scope: "address",
    });
  });

  it("one address spraying many accounts is limited too; a success clears only the account", async () => {
    const db = database.handle.db;
    const address = "198.51.100.7";
    for (let i = 0; i < SIGN_IN_LIMITS.address.attempts; i++) {
      expect(
        (await claimSignInAttempt(db, { account: `user${i}@example.com`, address }, at(i))).allowed,
      ).toBe(true);
    }
    const refused = await claimSignInAttempt(db, { account: "another@example.com", address }, at(60));
    expect(refused).toMatchObject({ allowed: false, scope: "address" });
    await settleSuccessfulSignIn(db, { account: "carol@example.com", address: null });
    expect(
      (await claimSignInAttempt(db, { account: "carol@example.com", address: "192.0.2.1" }, at(61))).allowed,
    ).toBe(true);
  });

  it("security #9: a stranger cannot lock the owner out; only many addresses together reach the account's ceiling", async () => {
    const db = database.handle.db;
    const account = "owner@example.com";
    // Eleven guesses from the stranger's address, again and again: they lock only themselves out.
    for (let i = 0; i <= SIGN_IN_LIMITS.accountAddress.attempts; i++) {
      await claimSignInAttempt(db, { account, address: "203.0.113.66" }, at(i));
    }
    expect(await claimSignInAttempt(db, { account, address: "203.0.113.66" }, at(30))).toMatchObject({
      allowed: false,
      scope: "accountAddress",
    });
    expect(await claimSignInAttempt(db, { account, address: "192.0.2.10" }, at(31))).toEqual({
      allowed: true,
    });
    await settleSuccessfulSignIn(db, { account, address: "192.0.2.10" });

    // A distributed guess: the account's own ceiling across addresses, then locked for everyone.
    const target = "target@example.com";
    let allowed = 0;
    for (let i = 0; i < SIGN_IN_LIMITS.account.attempts + 5; i++) {
      const address = `198.18.${Math.floor(i / 9)}.${i % 9}`;
      if ((await claimSignInAttempt(db, { account: target, address }, at(40 + i))).allowed) allowed += 1;
    }
    expect(allowed).toBe(SIGN_IN_LIMITS.account.attempts);
    expect(await claimSignInAttempt(db, { account: target, address: "192.0.2.11" }, at(300))).toMatchObject({
      allowed: false,
      scope: "account",
    });
  });
});
