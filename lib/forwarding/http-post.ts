import http from "node:http";
import https from "node:https";
import { guardedLookup, guardLiteral } from "./network-guard";

/**
 * One POST to a merchant's endpoint: the status, the first 1 KB of the answer and `Retry-After`, or the error.
 * Never throws. The whole exchange is cut at `timeoutMs`; an answer is read up to its first 1 KB and the rest is
 * dropped, so a receiver that streams forever costs nothing. No redirects are followed (a 3xx is a failure).
 */
export type PostResult = {
  status: number | null;
  response: string | null;
  retryAfterSeconds: number | null;
  error: string | null;
  durationMs: number;
};

export const RESPONSE_EXCERPT_BYTES = 1024;

/**
 * Kept-alive connections, one pool per protocol and network rule: a busy endpoint is not a TCP (and TLS)
 * handshake per message. The guarded lookup runs whenever a pool opens a connection.
 */
const agents = new Map<string, http.Agent>();
function agentFor(url: URL, allowInternal: boolean): http.Agent {
  const key = `${url.protocol}${allowInternal}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = {
      keepAlive: true,
      maxSockets: 64,
      timeout: 30_000,
      lookup: guardedLookup(allowInternal),
    };
    agent = url.protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

export function postMessage(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowInternal: boolean },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (result: Omit<PostResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const failed = (error: string) =>
      finish({ status: null, response: null, retryAfterSeconds: null, error });
    try {
      guardLiteral(url, options.allowInternal);
    } catch (error) {
      return failed((error as Error).message);
    }
    const send = url.protocol === "https:" ? https.request : http.request;
    const request = send(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      agent: agentFor(url, options.allowInternal),
    });
    timer = setTimeout(() => {
      request.destroy();
      failed(`no answer within ${options.timeoutMs / 1000} s`);
    }, options.timeoutMs);
    request.on("error", (error) => failed(describeNetworkError(error)));
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (cut: boolean) => {
        const text = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString("utf8");
        finish({
          status: response.statusCode ?? null,
          // PostgreSQL text refuses NUL.
          response: text.replaceAll("\u0000", "\uFFFD"),
          retryAfterSeconds: parseRetryAfter(response.headers["retry-after"]),
          error: null,
        });
        // An answer read to its end leaves the connection for the next message; a longer one is cut.
        if (cut) response.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        if (size < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
        size += chunk.length;
        if (size >= RESPONSE_EXCERPT_BYTES) done(true);
      });
      response.on("end", () => done(false));
      response.on("error", () => done(true));
    });
    request.end(body);
  });
}

/** The longest `Retry-After` honoured: one answer never parks a message for longer than a day. */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * The one retry rule of forwarding and alerts: after a failed attempt, wait the schedule's next delay — or, when a
 * 429 or 503 said `Retry-After`, that long instead, at most a day.
 */
export function retryWaitMs(
  result: Pick<PostResult, "status" | "retryAfterSeconds">,
  scheduleDelayMs: number,
): number {
  const asked = (result.status === 429 || result.status === 503) && result.retryAfterSeconds !== null;
  return asked ? Math.min((result.retryAfterSeconds as number) * 1000, MAX_RETRY_AFTER_MS) : scheduleDelayMs;
}

/** `Retry-After` as seconds from now: a number of seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim());
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function describeNetworkError(error: Error & { code?: string }): string {
  if (error.name === "InternalAddressError") return error.message;
  return error.code ? `${error.code}: ${error.message}` : error.message;
}
