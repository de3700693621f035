import { encodeNotification, signNotification } from "@/lib/skinsback/notification-builder";
import { TEST_CREDENTIALS } from "./notifications";

/**
 * Signed notification bodies for load: half create new deposits (in_hold), half settle one created `lag` bodies
 * earlier (success), so the stream exercises both the insert path and the locked update path. Ids start at
 * `firstId` so separate runs never collide.
 */
export function notificationStream(firstId: number, lag = 50) {
  let created = 0;
  let settled = 0;
  let turn = 0;
  const now = Math.floor(Date.now() / 1000);
  const body = (id: number, status: "in_hold" | "success") =>
    encodeNotification(
      signNotification(
        {
          status,
          transaction_id: String(firstId + id),
          order_id: `load-${firstId + id}`,
          steam_id: "76561198000000001",
          date: now - 60,
          amount: "12.50",
          amount_currency: "usd",
          user_amount: "25.00",
          skins_send_date: now - 30,
          ...(status === "in_hold" && { in_hold_until: now + 8 * 86_400 }),
        },
        TEST_CREDENTIALS.clientSecret,
      ),
      "json",
    ).body;
  return {
    /** The next body, and the deposit and status it is about. */
    next(): { body: string; transactionId: string; status: "in_hold" | "success" } {
      turn += 1;
      if (turn % 2 === 0 && settled < created - lag) {
        const id = settled++;
        return { body: body(id, "success"), transactionId: String(firstId + id), status: "success" };
      }
      const id = created++;
      return { body: body(id, "in_hold"), transactionId: String(firstId + id), status: "in_hold" };
    },
  };
}
