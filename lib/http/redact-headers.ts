import { PEER_ADDRESS_HEADER } from "./client-address";

/** Headers that carry credentials. X-SIGN is md5(clientId + secret): whoever reads it can forge the header. */
const SECRET_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-client-secret",
  "x-sign",
  "x-api-key",
]);

export const REDACTED = "[redacted]";

export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.toLowerCase() === PEER_ADDRESS_HEADER) return; // ours, recorded as remote_address
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  });
  return out;
}
