/**
 * Where a request came from. Next.js route handlers do not expose the socket, and Next fills X-Forwarded-For with
 * the socket's address only when the client did not send one, so a client could name any address it liked.
 * `installRequestTracking` (server-requests.ts) stamps every request with the socket's address in a header of our own (overwriting
 * anything a client sent under that name); `clientAddress` then believes X-Forwarded-For only as far as the
 * configured number of trusted proxies in front of the app.
 */
export const PEER_ADDRESS_HEADER = "x-console-peer-address";

/**
 * The client's address. With no trusted proxies it is the socket's peer. Behind `trustedProxies` proxies, each of
 * which appends the address it saw to X-Forwarded-For, it is the entry that many places left of the peer: the
 * address the outermost trusted proxy saw. Entries further left were written by the client and prove nothing.
 */
export function clientAddress(headers: Headers, trustedProxies: number): string | null {
  const peer = headers.get(PEER_ADDRESS_HEADER)?.trim() || null;
  if (trustedProxies <= 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const chain = peer ? [...forwarded, peer] : forwarded;
  return chain[chain.length - 1 - trustedProxies] ?? chain[0] ?? null;
}
