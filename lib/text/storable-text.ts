/**
 * Request text that PostgreSQL can store. A `text` or `jsonb` value cannot hold U+0000 (SQLSTATE 22021 / 22P05),
 * and a lone UTF-16 surrogate has no UTF-8 form (a driver would silently replace it). Either in a request is bad
 * input: it is answered 4xx and recorded, never mistaken for the database being down.
 */

// Built from strings: a NUL written into a regular-expression literal is what linters rightly flag as a mistake.
const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE}`);
const LONE_SURROGATES = new RegExp(LONE_SURROGATE, "g");
const NUL = String.fromCharCode(0);

/** The path of the first key or string in `value` that PostgreSQL cannot store, or undefined when all can be. */
export function findUnstorableText(value: unknown, path = "body", depth = 0): string | undefined {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path : undefined;
  if (depth > 32 || typeof value !== "object" || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}.${storableText(key)}`;
    if (UNSTORABLE.test(key)) return itemPath;
    const found = findUnstorableText(item, itemPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** `text` made storable for a log or an error message: NUL shown as \u0000, lone surrogates as U+FFFD. */
export function storableText(text: string): string {
  return text.split(NUL).join("\\u0000").replace(LONE_SURROGATES, "\ufffd");
}

/** True for PostgreSQL's "data exception" errors (SQLSTATE class 22): the values were bad, the database is fine. */
export function isDataException(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
