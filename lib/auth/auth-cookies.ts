/**
 * The session cookie's names (better-auth: `<prefix>.session_token`, `__Secure-` in front when Secure). Kept apart
 * from lib/auth/auth.ts so that proxy.ts can read them without loading the auth library.
 */
export const SESSION_COOKIE_PREFIX = "console";
export const SESSION_COOKIE_NAMES = [
  `${SESSION_COOKIE_PREFIX}.session_token`,
  `__Secure-${SESSION_COOKIE_PREFIX}.session_token`,
] as const;
