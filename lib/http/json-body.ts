import { findForbiddenKey } from "@/lib/security/request-keys";
import { findUnstorableText } from "@/lib/text/storable-text";

/**
 * A console request's JSON body, read the one way every route reads it (the route wrapper, the signed proxy):
 * strict UTF-8, JSON, no text PostgreSQL cannot store (NUL, unpaired surrogates), no key that reaches a
 * prototype. The error says what was wrong, for a 400.
 */
export function parseJsonBody(
  bytes: Uint8Array,
  /** What an empty body means (`null` for a route's input, `{}` for the proxy's parameters). */
  empty: unknown,
): { ok: true; value: unknown } | { ok: false; error: string } {
  let value: unknown;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    value = text.trim() === "" ? empty : JSON.parse(text);
  } catch {
    return { ok: false, error: "the body must be JSON (UTF-8)" };
  }
  const unstorable = findUnstorableText(value);
  if (unstorable) return { ok: false, error: `${unstorable} holds a NUL or an unpaired surrogate` };
  const forbidden = findForbiddenKey(value);
  if (forbidden) return { ok: false, error: `${forbidden}: this key name is not allowed` };
  return { ok: true, value };
}
