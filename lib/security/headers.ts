/**
 * The security headers of every response. Two parts:
 * - fixed ones (`STATIC_SECURITY_HEADERS`), sent by next.config.ts on every path — static files and the machine
 *   routes the proxy does not run for included — and set again by proxy.ts on what it answers itself;
 * - per-request ones (`responseSecurityHeaders`), set by proxy.ts: the Content Security Policy with a fresh nonce,
 *   and HSTS when the console is served over https (known only at run time, from APP_ORIGIN).
 */

export const STATIC_SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  // No page of the console may be framed (clickjacking: a framing page over /holds' Approve buttons).
  ["X-Frame-Options", "DENY"],
  ["X-Content-Type-Options", "nosniff"],
  // Links leaving the console carry no path or query (deposit ids, filters).
  ["Referrer-Policy", "same-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
];

/** One year, subdomains included: only sent when APP_ORIGIN is https. */
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * The policy. Scripts run only with this response's nonce (Next.js reads it from the request's policy header and
 * puts it on its own scripts; the root layout puts it on the theme script); `'strict-dynamic'` lets those load
 * the chunks they import. Style elements need the nonce too; style *attributes* are allowed (`style-src-attr`):
 * React and the charts set them, and an attribute cannot run code. The development server needs `eval` for
 * React's debugging and injects style elements without a nonce, so `next dev` relaxes exactly those two.
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    options.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** A fresh nonce: 16 random bytes, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * Every security header of a response the proxy handles: its policy, HSTS on https, and the fixed ones again, so
 * that the answers the proxy gives itself (a redirect to sign-in, a 401, a 403) carry them whatever the framework
 * merges from next.config.ts. Set, not appended: each is sent once (checked on a production build).
 */
export function responseSecurityHeaders(policy: string, https: boolean): Array<readonly [string, string]> {
  return [
    ["Content-Security-Policy", policy],
    ...STATIC_SECURITY_HEADERS,
    ...(https ? [["Strict-Transport-Security", HSTS] as const] : []),
  ];
}

/** The request header that carries the nonce to server components (the root layout). */
export const NONCE_HEADER = "x-nonce";
