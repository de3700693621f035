import {
  encodeNotification,
  type NotificationInput,
  signNotification,
} from "@/lib/skinsback/notification-builder";
import { xSign } from "@/lib/skinsback/signature";
import type { BodyEncoding } from "@/lib/skinsback/signed-message";

export const TEST_CREDENTIALS = { clientId: "1490", clientSecret: "XCvlP45Y2dH2UmHhk" };

export const WEBHOOK_URL = "http://127.0.0.1/api/webhooks/skinsback";

/** A signed notification as SkinsBack would POST it, ready for the receiver. */
export function notificationRequest(
  input: NotificationInput,
  options: {
    encoding?: BodyEncoding;
    secret?: string;
    xSign?: string | null;
    mutate?: (f: Record<string, unknown>) => void;
  } = {},
): Request {
  const fields = signNotification(input, options.secret ?? TEST_CREDENTIALS.clientSecret);
  options.mutate?.(fields);
  const { body, contentType } = encodeNotification(fields, options.encoding ?? "json");
  const headers: Record<string, string> = { "content-type": contentType };
  const header =
    options.xSign === undefined
      ? xSign(TEST_CREDENTIALS.clientId, TEST_CREDENTIALS.clientSecret)
      : options.xSign;
  if (header !== null) headers["x-sign"] = header;
  return new Request(WEBHOOK_URL, { method: "POST", headers, body });
}

export function rawRequest(
  body: string | Uint8Array,
  contentType = "application/json",
  headers: Record<string, string> = {},
): Request {
  return new Request(WEBHOOK_URL, {
    method: "POST",
    headers: { "content-type": contentType, ...headers },
    body: body as BodyInit,
  });
}

let counter = 0;
/** A fresh, realistic notification for a new deposit. */
export function sampleNotification(overrides: Partial<NotificationInput> = {}): NotificationInput {
  counter += 1;
  const id = `${Date.now() % 1_000_000_000}${String(counter).padStart(4, "0")}`;
  const status = overrides.status ?? "success";
  const money = status === "success" || status === "in_hold" || status === "hold_approved";
  return {
    status,
    transaction_id: id,
    order_id: `ord-${id}`,
    steam_id: "76561198000000001",
    date: 1_763_700_000,
    ...(money && {
      amount: "121.50",
      amount_currency: "rub",
      amount_in_currencies: { usd: "1.31", rub: "121.50" },
      user_amount: "243",
      user_amount_in_currencies: { usd: "2.62", rub: "243" },
      skins_send_date: 1_763_700_100,
    }),
    ...(status === "fail" && { reason: "timeout" }),
    ...overrides,
  };
}
