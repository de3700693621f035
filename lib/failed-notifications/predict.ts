import { judgeObservation } from "@/lib/deposits/status-machine";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import {
  parseSignedMessageBody,
  SignedMessageBodyError,
  withExactNumbersAsText,
} from "@/lib/skinsback/signed-message";

/** A failed row as the list's query reads it (one union over SkinsBack's entries and this console's refusals). */
export type RawRow = {
  source: "skinsback" | "console";
  target_id: string | number;
  generation: number;
  transaction_id: string | null;
  order_id: string | null;
  http_code: string;
  outcome: string | null;
  error: string | null;
  notification_status: DepositStatus | null;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  resolved_at: Date | string | null;
  resolution: string | null;
  deposit_status: DepositStatus | null;
  deposit_amount: string | null;
  deposit_currency: string | null;
  replay_status: string | null;
  replay_by: string | null;
  replay_at: Date | string | null;
  replay_message: string | null;
  replay_new_status: string | null;
  raw_body: Uint8Array | null;
  content_type: string | null;
  body_truncated: boolean | null;
  position_at: string;
};

/** What the list knows of a failed row's deposit, when the console has it. */
export type DepositSummary = { status: DepositStatus; amount: string | null; currency: string | null };

/** What a replay of a failed row would do, predicted from what is stored: pure, no database. */

export const HTTP_MEANINGS: Record<string, string> = {
  "0": "no answer (timeout or connection refused)",
  "400": "400: we refused the body as malformed",
  "401": "401: we refused the signature",
  "403": "403: refused",
  "404": "404: the Result URL was not found",
  "413": "413: the body was too large for us",
  "429": "429: we were rate limiting",
  "500": "500: our server failed",
  "502": "502: a proxy in front of us failed",
  "503": "503: we could not store it (database unavailable)",
  "504": "504: a proxy in front of us timed out",
};

export function httpMeaning(code: string): string {
  return HTTP_MEANINGS[code] ?? `${code}: ${Number(code) >= 500 ? "our server failed" : "we refused it"}`;
}

export type BodyFacts = { orderId?: string; status?: DepositStatus; amount?: string; currency?: string };

/** What the stored body says (it may not verify; it is only read to predict, never applied from here). */
export function readBody(r: RawRow): BodyFacts | undefined {
  if (!r.raw_body || r.body_truncated) return undefined;
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(r.raw_body);
    const fields = withExactNumbersAsText(parseSignedMessageBody(text, r.content_type).fields) as Record<
      string,
      unknown
    >;
    const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
    return {
      orderId: str(fields.order_id),
      status: str(fields.status) as DepositStatus | undefined,
      amount: str(fields.amount),
      currency: str(fields.amount_currency),
    };
  } catch (error) {
    if (error instanceof SignedMessageBodyError || error instanceof TypeError) return undefined;
    throw error;
  }
}

/** What a replay would do, in the grouping "retry all" shows, and in words for the row. */
export type ReplayEffect =
  | "nothing"
  | "create the deposit"
  | "move the deposit forward"
  | "already up to date"
  | "flag a conflict"
  | "read SkinsBack's status";

export function predict(
  r: RawRow,
  deposit: DepositSummary | null,
  body: BodyFacts | undefined,
): { effect: ReplayEffect; text: string } {
  if (r.resolved_at) return { effect: "nothing", text: "nothing: resolved" };
  const readTruth = (text: string) => ({ effect: "read SkinsBack's status" as const, text });
  if (r.source === "skinsback") {
    if (!deposit) {
      return {
        effect: "create the deposit",
        text: "deposit unknown here: it will be created from SkinsBack's answer (orderstatus)",
      };
    }
    return readTruth(
      `reads SkinsBack's status with orderstatus; applies it if it moved on from ${deposit.status} here`,
    );
  }
  if (r.outcome === "too_large")
    return readTruth("the body was not kept whole: read SkinsBack's status with orderstatus");
  const incoming = r.notification_status ?? body?.status;
  const verifyFirst = r.outcome === "bad_signature" ? "if the signature verifies now, " : "";
  if (!incoming) return readTruth("the body names no status: read SkinsBack's status with orderstatus");
  if (!deposit) {
    return {
      effect: "create the deposit",
      text: `${verifyFirst}deposit unknown here: it will be created as ${incoming}`,
    };
  }
  const outcome = judgeObservation(deposit.status, incoming);
  if (outcome === "applied") {
    const credit =
      incoming === "success" || incoming === "hold_approved"
        ? `, credits ${body?.amount ?? deposit.amount ?? "?"} ${(body?.currency ?? deposit.currency ?? "").toUpperCase()}`.trimEnd()
        : "";
    return {
      effect: "move the deposit forward",
      text: `${verifyFirst}${deposit.status} → ${incoming}${credit}`,
    };
  }
  if (outcome === "conflict") {
    return {
      effect: "flag a conflict",
      text: `${verifyFirst}${incoming} conflicts with ${deposit.status} here: it would be flagged`,
    };
  }
  return { effect: "already up to date", text: `already up to date (${deposit.status} here)` };
}
