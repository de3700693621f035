import { approveHold } from "../engine";
import { findDeposit, type Handler, SandboxMethodError } from "../method-helpers";

/** SkinsBack's `offer_approve`, as the sandbox answers it. */
export const handleOfferApprove: Handler = async (ctx, p) => {
  const deposit = await findDeposit(ctx, p);
  if (deposit.status !== "in_hold") throw new SandboxMethodError(5, "offer_already_approved_or_canceled");
  await approveHold(ctx, deposit, new Date());
  return {};
};
