/** Where to go after signing in: only a path on this console (never `//host` or `/\host`, which leave it). */
export function safeNextPath(value: unknown): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\")
  ) {
    return "/";
  }
  if (value.startsWith("/sign-in") || value.startsWith("/setup")) return "/";
  return value.slice(0, 2000);
}
