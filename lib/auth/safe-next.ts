/** Resolved against a placeholder origin: only whether the result stays on it matters, not its name. */
const HERE = "http://console.invalid";

/** Control characters (browsers drop tabs and line breaks from URLs: `/\t/evil.test` becomes `//evil.test`). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * Where to go after signing in: a path on this console, or `/`. The value is resolved the way a browser would
 * (`new URL(next, origin)`) and kept only when it stays on the console's own origin; anything holding control
 * characters or backslashes (which browsers rewrite into other URLs) is refused first. The answer is the
 * serialised path, query and fragment — ASCII only (non-Latin-1 characters percent-encoded), so it is always a
 * valid Location header and never a 500.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2000) return "/";
  if (hasControlCharacter(value) || value.includes("\\")) return "/";
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return "/";
  }
  if (url.origin !== HERE) return "/";
  if (url.pathname.startsWith("/sign-in") || url.pathname.startsWith("/setup")) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
