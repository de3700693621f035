import { toDepositWire } from "@/lib/skinsback/notification-builder";
import { depositObject } from "../engine";
import { findDeposit, type Handler } from "../method-helpers";

/** SkinsBack's `orderstatus`, as the sandbox answers it. */
export const handleOrderstatus: Handler = async (ctx, p) => {
  // The deposit's own status takes the top-level `status` key (a documented trap for clients).
  return toDepositWire(depositObject(await findDeposit(ctx, p)));
};
