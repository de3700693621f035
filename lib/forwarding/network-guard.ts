import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Where a forwarding or alert URL may point. A merchant's backend is often on the internal network, but a
 * stranger's URL must not reach the cloud metadata service or the console's own neighbours: loopback, private,
 * link-local, shared (CGNAT), multicast and reserved addresses — anything but global unicast — are refused unless
 * allowed (per endpoint, or FORWARD_ALLOW_PRIVATE_NETWORKS=1). Checked when the URL is saved and again at every connection, on the address
 * the name resolves to then, so a name that later points inside (DNS rebinding) is refused too.
 */

/** Names of metadata services that answer on internal addresses (refused by name, whatever they resolve to). */
const METADATA_HOSTS = new Set([
  "metadata.google.internal",
  "metadata",
  "instance-data",
  "metadata.azure.com",
]);

/**
 * True for any address but a global unicast one, by ipaddr.js's special-purpose ranges (loopback, private, CGNAT,
 * link-local, unique-local, site-local, discard, documentation, benchmarking, multicast, reserved…). An IPv6
 * address that carries an IPv4 address (mapped, translated, IPv4-compatible, NAT64 `64:ff9b::/96`, 6to4) is judged
 * by that IPv4; tunnels whose far end cannot be judged (Teredo, local-use NAT64 `64:ff9b:1::/48`) are refused, and
 * so is anything outside `2000::/3`. Anything that does not parse is internal.
 */
export function isInternalAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return parsed.range() !== "unicast";
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded === "refused") return true;
  if (embedded) return embedded.range() !== "unicast";
  return v6.range() !== "unicast" || (v6.parts[0] as number) >> 13 !== 0b001;
}

/** The IPv4 address an IPv6 address carries, "refused" for a tunnel that hides it, null for none. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | "refused" | null {
  const p = v6.parts as number[];
  const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 255, low >> 8, low & 255]);
  const range = v6.range();
  if (range === "ipv4Mapped" || range === "rfc6145") return v4(p[6] as number, p[7] as number);
  if (range === "rfc6052")
    return v6.match(ipaddr.IPv6.parse("64:ff9b::"), 96) ? v4(p[6] as number, p[7] as number) : "refused";
  if (range === "6to4") return v4(p[1] as number, p[2] as number);
  if (range === "teredo") return "refused";
  // IPv4-compatible (::a.b.c.d, deprecated): the first 96 bits are zero.
  if (p.slice(0, 6).every((part) => part === 0)) return v4(p[6] as number, p[7] as number);
  return null;
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

/**
 * Resolves `host` once and returns the address to connect to, checked: for a client that connects on its own
 * (nodemailer), which is then given this address rather than the name, so the name is not resolved again.
 */
export async function checkedAddress(
  host: string,
  allowInternal: boolean,
): Promise<{ address: string } | { problem: string }> {
  if (!allowInternal && METADATA_HOSTS.has(host.toLowerCase()))
    return { problem: "points at a cloud metadata service" };
  let addresses: dns.LookupAddress[];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
    } catch {
      return { problem: "its host name does not resolve" };
    }
  }
  if (!allowInternal) {
    const inside = addresses.find((a) => isInternalAddress(a.address));
    if (inside) return { problem: internalProblem(inside.address) };
  }
  const first = addresses[0];
  return first ? { address: first.address } : { problem: "its host name has no address" };
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
