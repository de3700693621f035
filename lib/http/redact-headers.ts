import { REDACTED, SECRET_HEADERS } from "@/lib/security/secret-names";
import { PEER_ADDRESS_HEADER } from "./client-address";

export { REDACTED } from "@/lib/security/secret-names";

/** Headers as stored and shown: every credential (SECRET_HEADERS) replaced by REDACTED. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.toLowerCase() === PEER_ADDRESS_HEADER) return; // ours, recorded as remote_address
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  });
  return out;
}
