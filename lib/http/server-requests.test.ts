import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { PEER_ADDRESS_HEADER } from "./client-address";
import {
  closeServers,
  type FinishedRequest,
  installRequestTracking,
  isShuttingDown,
  requestsInFlight,
  startDraining,
} from "./server-requests";

describe("the process's HTTP servers, tracked", () => {
  it("stamps the peer, logs each request, lets accepted requests finish on close and refuses new ones", async () => {
    const finished: FinishedRequest[] = [];
    installRequestTracking((r) => finished.push(r));
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = http.createServer(async (req, res) => {
      if (req.url === "/slow") await held;
      res.end(String(req.headers[PEER_ADDRESS_HEADER]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const fast = await fetch(`${origin}/fast?cursor=secret-ish`, {
      headers: { [PEER_ADDRESS_HEADER]: "6.6.6.6", "x-request-id": "abc-1" },
    });
    expect(await fast.text()).toBe("127.0.0.1");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished).toEqual([
      expect.objectContaining({ method: "GET", path: "/fast", status: 200, requestId: "abc-1" }),
    ]);

    // A request accepted before the shutdown finishes; the draining server closes its connection after it.
    const slow = fetch(`${origin}/slow`);
    for (let i = 0; i < 100 && requestsInFlight() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(requestsInFlight()).toBe(1);
    startDraining();
    expect(isShuttingDown()).toBe(true);
    const closing = closeServers(5_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${origin}/fast`, { signal: AbortSignal.timeout(1_000) })).rejects.toThrow();
    release();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("connection")).toBe("close");
    expect(await closing).toBe(0);
  });
});
