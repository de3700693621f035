import { Webhook } from "standardwebhooks";
import { serve } from "./http-server";

/**
 * A merchant's backend on loopback for forwarding tests: records every request and answers what `answer`
 * says. With `secrets`, the Standard Webhooks package verifies each request (not our code); `verified` is the
 * parsed body, or undefined when no secret verified it.
 */
export type ReceivedMessage = {
  webhookId: string;
  body: string;
  headers: Record<string, string>;
  verified: Record<string, unknown> | undefined;
};

export type Answer = { status: number; headers?: Record<string, string>; body?: string; hangMs?: number };

export async function startForwardReceiver(options: {
  secrets?: () => string[];
  /** The receiver's clock, for the package's timestamp check (a test's manual clock); the real one by default. */
  now?: () => Date;
  answer?: (received: ReceivedMessage, index: number) => Answer;
}) {
  const received: ReceivedMessage[] = [];
  const load = { inFlight: 0, maxInFlight: 0 };
  const server = await serve(async (request) => {
    load.inFlight += 1;
    load.maxInFlight = Math.max(load.maxInFlight, load.inFlight);
    try {
      return await answerRequest(request);
    } finally {
      load.inFlight -= 1;
    }
  });
  async function answerRequest(request: Request): Promise<Response> {
    const body = await request.text();
    const headers = Object.fromEntries(request.headers);
    let verified: Record<string, unknown> | undefined;
    const realNow = Date.now;
    if (options.now) Date.now = () => (options.now as () => Date)().getTime();
    try {
      for (const secret of options.secrets?.() ?? []) {
        try {
          verified = new Webhook(secret).verify(body, headers) as Record<string, unknown>;
          break;
        } catch {
          // not this secret
        }
      }
    } finally {
      Date.now = realNow;
    }
    const message = { webhookId: headers["webhook-id"] ?? "", body, headers, verified };
    received.push(message);
    const answer = options.answer?.(message, received.length - 1) ?? { status: 200 };
    if (answer.hangMs) await new Promise((resolve) => setTimeout(resolve, answer.hangMs));
    return new Response(answer.body ?? "ok", { status: answer.status, headers: answer.headers });
  }
  return {
    url: `${server.origin}/hook`,
    received,
    /** Requests being answered at once, and the most there were. */
    load,
    close: server.close,
  };
}
