import { describe, expect, it } from "vitest";
import { isInternalAddress, targetProblem } from "./network-guard";

describe("where a forwarding URL may point", () => {
  it("internal addresses, IPv4 and IPv6, mapped forms included", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fd00:ec2::254",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "224.0.0.1",
      // IPv6 forms that carry or hide an internal IPv4, and special-purpose IPv6 ranges.
      "::127.0.0.1",
      "::ffff:0:7f00:1",
      "64:ff9b::a00:1",
      "64:ff9b:1::808:808",
      "2002:c0a8:0101::1",
      "2002:7f00:1::",
      "fec0::1",
      "100::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "2001:db8::1",
      "3fff::1",
      "not an address",
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of [
      "8.8.8.8",
      "172.32.0.1",
      "1.1.1.1",
      "2606:4700:4700::1111",
      "::ffff:8.8.8.8",
      "64:ff9b::808:808",
      "2002:0808:0808::1",
    ]) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  it("a URL: http(s) only, no credentials, no metadata host, no internal literal unless allowed", async () => {
    expect(await targetProblem(new URL("ftp://example.com/x"), false)).toMatch(/http/);
    expect(await targetProblem(new URL("https://user:pw@example.com/x"), false)).toMatch(/user name/);
    expect(await targetProblem(new URL("http://metadata.google.internal/"), false)).toMatch(/metadata/);
    expect(await targetProblem(new URL("http://[::1]:3000/"), false)).toMatch(/internal network/);
    expect(await targetProblem(new URL("http://localhost:3000/"), false)).toMatch(/internal network/);
    expect(await targetProblem(new URL("http://127.0.0.1:3000/"), true)).toBeUndefined();
    expect(await targetProblem(new URL("https://93.184.215.14/hook"), false)).toBeUndefined();
  });
});
