import dns from "node:dns";
import net from "node:net";

/**
 * Where a forwarding or alert URL may point. A merchant's backend is often on the internal network, but a
 * stranger's URL must not reach the cloud metadata service or the console's own neighbours: loopback, private,
 * link-local, shared (CGNAT), multicast and reserved addresses are refused unless allowed (per endpoint, or
 * FORWARD_ALLOW_PRIVATE_NETWORKS=1). Checked when the URL is saved and again at every connection, on the address
 * the name resolves to then, so a name that later points inside (DNS rebinding) is refused too.
 */

const INTERNAL = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  INTERNAL.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  INTERNAL.addSubnet(prefix, bits, "ipv6");
}

/** Names of metadata services that answer on internal addresses (refused by name, whatever they resolve to). */
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata",
  "instance-data",
  "metadata.azure.com",
]);

/** True for an address outside the public internet (IPv4-mapped IPv6 judged by its IPv4). */
export function isInternalAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return INTERNAL.check(address, "ipv4");
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1] as string, "ipv4");
  return INTERNAL.check(address, "ipv6");
}

/** The URL's host without IPv6 brackets, lower-cased. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

export class InternalAddressError extends Error {
  override name = "InternalAddressError";
}

/**
 * Why `url` may not be used, in words, or undefined. Resolves the name (every address must be public) unless
 * internal addresses are allowed.
 */
export async function targetProblem(url: URL, allowInternal: boolean): Promise<string | undefined> {
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http:// or https:// URL";
  if (url.username || url.password) return "must not hold a user name or password";
  if (allowInternal) return undefined;
  const host = hostOf(url);
  if (METADATA_HOSTS.has(host)) return "points at a cloud metadata service";
  if (net.isIP(host)) {
    return isInternalAddress(host) ? internalProblem(host) : undefined;
  }
  try {
    const addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
    const inside = addresses.find((a) => isInternalAddress(a.address));
    return inside ? internalProblem(inside.address) : undefined;
  } catch {
    return "its host name does not resolve";
  }
}

const internalProblem = (address: string) =>
  `resolves to ${address}, a loopback, private or link-local address (tick "internal network" if your backend is there)`;

/**
 * A `lookup` for http.request that refuses internal addresses at connection time. An IP literal never reaches a
 * lookup, so `guardLiteral` checks it first.
 */
export function guardedLookup(allowInternal: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, "", 4);
      const list = addresses as dns.LookupAddress[];
      if (
        !allowInternal &&
        (METADATA_HOSTS.has(hostname.toLowerCase()) || list.some((a) => isInternalAddress(a.address)))
      ) {
        return callback(new InternalAddressError(`${hostname} resolves to an internal address`), "", 4);
      }
      if ((options as dns.LookupOptions).all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} has no address`), "", 4);
      callback(null, first.address, first.family);
    });
  };
}

/** Refuses an internal IP literal (which bypasses any lookup). */
export function guardLiteral(url: URL, allowInternal: boolean): void {
  if (allowInternal) return;
  const host = hostOf(url);
  if (METADATA_HOSTS.has(host) || (net.isIP(host) && isInternalAddress(host))) {
    throw new InternalAddressError(`${host} is an internal address`);
  }
}
