import { toDepositWire } from "@/lib/skinsback/notification-builder";
import { depositObject } from "../engine";
import { type Handler, pageByWindow, pageOf } from "../method-helpers";
import { sandboxDeposits } from "../schema";

/** SkinsBack's `orders`, as the sandbox answers it. */
export const handleOrders: Handler = async (ctx, p) => {
  const { rows, total } = await pageByWindow(
    ctx,
    sandboxDeposits,
    { createdAt: sandboxDeposits.createdAt, id: sandboxDeposits.transactionId },
    p,
  );
  const page = pageOf(rows, (r) => r.transactionId, total);
  return { ...page, items: page.items.map((d) => toDepositWire(depositObject(d))) };
};
