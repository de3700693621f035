/**
 * The one list of what is never shown or logged as it is: the headers, the parameters and body fields that carry
 * a credential or a signature someone could reuse, and the word that stands in their place. Stored headers, the
 * API call log, forwarded messages shown to people and the request log all redact from these lists.
 */

export const REDACTED = "[redacted]";

/**
 * Request and message headers. X-SIGN is md5(clientId + secret): whoever reads it can forge the header. A Standard
 * Webhooks signature verifies only its own body, but shown to people it proves nothing they need.
 */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-client-secret",
  "x-sign",
  "x-api-key",
  "webhook-signature",
]);

/** Parameters and body fields: a player's trade token, a password, a signature that verifies. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["trade_token", "token", "password", "sign"]);
