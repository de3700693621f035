import { Webhook } from "standardwebhooks";
import type { ForwardEndpoint } from "@/lib/db/schema";
import type { DepositStatus } from "@/lib/skinsback/deposit-status";
import {
  encodeNotification,
  type NotificationInput,
  notificationHeaders,
  signNotification,
} from "@/lib/skinsback/notification-builder";
import { TEST_EVENT_TYPE } from "./event-types";

/**
 * What one attempt sends, in either format. The body depends only on the stored message, so every retry and
 * resend sends the same bytes with the same `webhook-id`; only `webhook-timestamp` and the signature are new.
 */

export type OutgoingMessage = {
  id: number;
  type: string;
  /** When the change was made (the body's `timestamp`). */
  createdAt: Date;
  data: Record<string, unknown>;
};

export type SigningEndpoint = Pick<
  ForwardEndpoint,
  "format" | "secret" | "previousSecret" | "previousSecretUntil" | "skinsbackSecret" | "skinsbackEncoding"
>;

export const USER_AGENT = "SkinsBack-Console-Forwarder/1";

/** `msg_<id>`: stable across retries and resends; a receiver dedupes on it. */
export const webhookId = (messageId: number) => `msg_${messageId}`;

/** The standard format's body: `{type, timestamp, data}`. */
export function standardBody(message: OutgoingMessage): string {
  return JSON.stringify({
    type: message.type,
    timestamp: message.createdAt.toISOString(),
    data: message.data,
  });
}

/** The secrets that sign at `now`: the current one, and the previous one during a rotation's overlap. */
export function signingSecrets(endpoint: SigningEndpoint, now: Date): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now) {
    secrets.push(endpoint.previousSecret);
  }
  return secrets;
}

export function buildRequest(
  endpoint: SigningEndpoint,
  message: OutgoingMessage,
  now: Date,
  project: { clientId: string; clientSecret: string },
): { headers: Record<string, string>; body: string; signedAt: number } {
  const signedAt = Math.floor(now.getTime() / 1000);
  if (endpoint.format === "skinsback") {
    const secret = endpoint.skinsbackSecret ?? project.clientSecret;
    const test = message.type === TEST_EVENT_TYPE;
    // A test event is never signed with the project's secret: a console-made message that verifies as SkinsBack's
    // would be a notification nobody at SkinsBack sent. Without an endpoint secret of its own it is signed with a
    // public key, so the handler sees the request arrive and refuses its signature.
    const fields = test
      ? signNotification(
          SKINSBACK_TEST_NOTIFICATION,
          endpoint.skinsbackSecret ?? SKINSBACK_TEST_EVENT_PUBLIC_KEY,
        )
      : signNotification(asNotification(message.data), secret);
    const { body, contentType } = encodeNotification(fields, endpoint.skinsbackEncoding);
    return {
      headers: {
        ...notificationHeaders(
          project.clientId,
          secret,
          contentType,
          !test || Boolean(endpoint.skinsbackSecret),
        ),
        "user-agent": USER_AGENT,
        "webhook-id": webhookId(message.id),
      },
      body,
      signedAt,
    };
  }
  const body = standardBody(message);
  return {
    headers: standardHeaders(signingSecrets(endpoint, now), webhookId(message.id), body, signedAt),
    body,
    signedAt,
  };
}

/**
 * The Standard Webhooks headers of one request: `webhook-id`, `webhook-timestamp` and one signature per secret
 * (space-separated, as the spec allows during a rotation). Forwarding and the alerts' JSON channel both sign here.
 */
export function standardHeaders(
  secrets: string[],
  id: string,
  body: string,
  signedAt: number,
  userAgent = USER_AGENT,
): Record<string, string> {
  const signedDate = new Date(signedAt * 1000);
  return {
    "content-type": "application/json",
    "user-agent": userAgent,
    "webhook-id": id,
    "webhook-timestamp": String(signedAt),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, signedDate, body)).join(" "),
  };
}

/**
 * A test event in SkinsBack's format: a `pending` notification (it credits nothing) of deposit 0 with the order
 * id `console-test-event`, so a handler can recognise and ignore it.
 */
export const SKINSBACK_TEST_NOTIFICATION: NotificationInput = {
  status: "pending",
  transaction_id: "0",
  order_id: "console-test-event",
};

/** Signs test events to a drop-in endpoint that has no secret of its own: public, so such a test never verifies. */
export const SKINSBACK_TEST_EVENT_PUBLIC_KEY = "console-test-event-not-a-secret";

const unix = (iso: unknown) =>
  typeof iso === "string" && iso ? Math.floor(new Date(iso).getTime() / 1000) : undefined;
const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const map = (value: unknown) =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, string>)
    : undefined;

/**
 * A change's data as SkinsBack's notification of the deposit's status would carry it (the fields of the
 * notification (docs/skinsback-protocol.md#notification-fields)): what a merchant's existing SkinsBack handler expects.
 */
export function asNotification(data: Record<string, unknown>): NotificationInput {
  const status = data.status as DepositStatus;
  return {
    status,
    transaction_id: String(data.transaction_id),
    order_id: String(data.order_id),
    steam_id: text(data.steam_id),
    date: unix(data.created_at),
    amount: text(data.amount),
    amount_currency: text(data.amount_currency),
    amount_in_currencies: map(data.amount_in_currencies),
    user_amount: text(data.user_amount),
    user_amount_in_currencies: map(data.user_amount_in_currencies),
    offer_date: unix(data.offer_created_at),
    in_hold_until: status === "pending" || status === "fail" ? undefined : unix(data.in_hold_until),
    trade_offer_id: text(data.trade_offer_id),
    skins_send_date: unix(data.skins_sent_at),
    custom_currency: text(data.custom_currency),
    custom_currency_rate: text(data.custom_currency_rate),
    custom_currency_sum: text(data.custom_currency_sum),
    reason: status === "fail" ? (text(data.fail_reason) ?? "timeout") : undefined,
    user_risk:
      status === "in_hold" ? (map(data.user_risk) as Record<string, unknown> | undefined) : undefined,
  };
}
