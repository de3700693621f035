import { xSign } from "@/lib/skinsback/signature";
import { TEST_CREDENTIALS } from "@/lib/testing/notifications";

/**
 * Headers SkinsBack sends with every notification, plus a forged X-Forwarded-For: with no trusted proxy configured
 * the app must record the socket's address, never this.
 */
export const FORGED_FORWARDED_FOR = "6.6.6.6";
export const NOTIFICATION_HEADERS = {
  "content-type": "application/json",
  "x-forwarded-for": FORGED_FORWARDED_FOR,
  "x-sign": xSign(TEST_CREDENTIALS.clientId, TEST_CREDENTIALS.clientSecret),
};

export type Sent = { transactionId: string; status: "in_hold" | "success"; body: string };

/** Answers counted by kind, for messages. */
export function tally(answers: Iterable<number | string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const answer of answers) out[answer] = (out[answer] ?? 0) + 1;
  return out;
}

export async function post(url: string, body: string): Promise<number | string> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: NOTIFICATION_HEADERS,
      body,
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return (error as Error).name;
  }
}
