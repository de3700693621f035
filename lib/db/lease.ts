import { randomUUID } from "node:crypto";

/**
 * The one lease rule of the background workers (the job scheduler, the alert sender, bulk replays, the forwarding
 * sender): a claim writes a fresh token (or, for forwarding, its exact `claimed_until`) with its lease; every later
 * write of that worker names the token in its WHERE clause; a write that matches no row means the lease was lost
 * to another instance, and the worker stops instead of acting on work that is no longer its own. A lease covers
 * one unit of outside work at most (a send, a replay), so a paused worker finds out before it acts again.
 */

export const newLeaseToken = (): string => randomUUID();

export class LeaseLostError extends Error {
  override name = "LeaseLostError";
}

/** Throws LeaseLostError when a fenced write matched no row. */
export function assertLeaseHeld(rowsWritten: number, what: string): void {
  if (rowsWritten === 0) throw new LeaseLostError(`${what}: the lease was taken over by another instance`);
}
