import { timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets (signatures, API keys) in time that does not depend on where they differ. Strings of
 * different lengths are unequal; only the length can leak, which for a fixed-length digest or key is public.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
