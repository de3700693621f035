import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER } from "./client-address";

const headers = (forwardedFor: string | null, peer: string | null) => {
  const h = new Headers();
  if (forwardedFor !== null) h.set("x-forwarded-for", forwardedFor);
  if (peer !== null) h.set(PEER_ADDRESS_HEADER, peer);
  return h;
};

describe("clientAddress", () => {
  it("with no trusted proxy, is the socket's peer whatever X-Forwarded-For claims", () => {
    expect(clientAddress(headers("6.6.6.6", "203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientAddress(headers(null, "203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientAddress(headers("6.6.6.6", null), 0)).toBeNull();
  });

  it("behind one proxy, is the address that proxy appended, not a client-written entry to its left", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the load balancer (10.0.0.2) appended the client's real address.
    expect(clientAddress(headers("6.6.6.6, 198.51.100.7", "10.0.0.2"), 1)).toBe("198.51.100.7");
    expect(clientAddress(headers("198.51.100.7", "10.0.0.2"), 1)).toBe("198.51.100.7");
  });

  it("behind two proxies, counts two places from the right", () => {
    expect(clientAddress(headers("6.6.6.6, 198.51.100.7, 10.0.0.5", "10.0.0.2"), 2)).toBe("198.51.100.7");
  });

  it("with fewer entries than trusted proxies, falls back to the furthest one seen", () => {
    expect(clientAddress(headers(null, "10.0.0.2"), 1)).toBe("10.0.0.2");
  });
});
