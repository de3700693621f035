import { randomBytes } from "node:crypto";

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Ids people see in URLs: a prefix and 16 random hex digits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

/** How long both the old and the new secret sign after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
