import http from "node:http";
import { PEER_ADDRESS_HEADER } from "./client-address";

/**
 * The process's HTTP servers as the console sees them, by hooking `http.Server.prototype.emit` once (Next.js
 * gives the app no handle on its server): every request is stamped with its socket's address (client-address.ts),
 * counted while it is in flight, and timed; the servers are remembered so a shutdown can close them. A draining
 * server answers with `Connection: close`, so keep-alive clients move to another instance.
 */

export type FinishedRequest = {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
};

type Tracking = {
  servers: Set<http.Server>;
  inFlight: number;
  responses: Set<http.ServerResponse>;
  draining: boolean;
  idle: (() => void)[];
  onFinished?: (request: FinishedRequest) => void;
};

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
const scope = globalThis as { __consoleRequests?: Tracking };

/** Once per process, at server start (lib/server-start.ts). `onFinished`: called as each response ends. */
export function installRequestTracking(onFinished?: (request: FinishedRequest) => void): void {
  if (scope.__consoleRequests) return;
  const tracking: Tracking = {
    servers: new Set(),
    inFlight: 0,
    responses: new Set(),
    draining: false,
    idle: [],
    onFinished,
  };
  scope.__consoleRequests = tracking;
  const original = http.Server.prototype.emit as Emit;
  let sequence = 0;
  http.Server.prototype.emit = function emit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      const response = args[1] as http.ServerResponse;
      request.headers[PEER_ADDRESS_HEADER] = request.socket?.remoteAddress ?? "";
      tracking.servers.add(this);
      tracking.inFlight += 1;
      tracking.responses.add(response);
      if (tracking.draining) response.setHeader("connection", "close");
      const started = performance.now();
      sequence += 1;
      const given = request.headers["x-request-id"];
      const requestId =
        typeof given === "string" && /^[A-Za-z0-9._-]{1,100}$/.test(given)
          ? given
          : `${process.pid}-${sequence}`;
      response.once("close", () => {
        tracking.inFlight -= 1;
        tracking.responses.delete(response);
        tracking.onFinished?.({
          method: request.method ?? "",
          path: (request.url ?? "").split("?")[0] ?? "",
          status: response.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          requestId,
        });
        if (tracking.inFlight === 0) for (const resolve of tracking.idle.splice(0)) resolve();
      });
    }
    return original.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}

/** Requests being answered now, on every server of this process. */
export function requestsInFlight(): number {
  return scope.__consoleRequests?.inFlight ?? 0;
}

/**
 * Stops accepting connections, lets the requests already accepted finish (at most `timeoutMs`), then closes
 * what is left. Resolves with how many requests were still running when the time ran out (0: none was cut).
 */
export async function closeServers(timeoutMs: number): Promise<number> {
  const tracking = scope.__consoleRequests;
  if (!tracking) return 0;
  tracking.draining = true;
  for (const server of tracking.servers) {
    server.close();
    server.closeIdleConnections();
  }
  if (tracking.inFlight > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      tracking.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  const cut = tracking.inFlight;
  for (const server of tracking.servers) server.closeAllConnections();
  return cut;
}

const shutdown = globalThis as { __consoleShuttingDown?: boolean };

/**
 * The instance is shutting down: /api/health answers 503 from now on (the load balancer stops sending), and
 * responses say `Connection: close` (its keep-alive connections move to another instance).
 */
export function startDraining(): void {
  shutdown.__consoleShuttingDown = true;
  const tracking = scope.__consoleRequests;
  if (!tracking) return;
  tracking.draining = true;
  // Requests already being answered close their connection too, if their headers have not gone yet.
  for (const response of tracking.responses)
    if (!response.headersSent) response.setHeader("connection", "close");
}

export function isShuttingDown(): boolean {
  return shutdown.__consoleShuttingDown === true;
}
