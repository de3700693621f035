import type { NewDeposit } from "@/lib/db/schema";
import type { DepositFields } from "@/lib/skinsback/notification";

const fromUnix = (seconds: string | undefined) =>
  seconds === undefined ? undefined : new Date(Number(seconds) * 1000);

/**
 * The deposit columns a notification states. Absent fields are `undefined`, so an update keeps what earlier
 * notifications said (a `hold_returned` without amounts must not erase the amounts of its `in_hold`).
 */
export function depositColumnsFrom(n: DepositFields): Omit<NewDeposit, "transactionId" | "createdAt"> & {
  createdAt: Date | undefined;
} {
  return {
    orderId: n.order_id,
    steamId: n.steam_id,
    status: n.status,
    amount: n.amount,
    amountCurrency: n.amount_currency,
    amountInCurrencies: n.amount_in_currencies,
    userAmount: n.user_amount,
    userAmountInCurrencies: n.user_amount_in_currencies,
    customCurrency: n.custom_currency,
    customCurrencyRate: n.custom_currency_rate,
    customCurrencySum: n.custom_currency_sum,
    createdAt: fromUnix(n.date),
    offerCreatedAt: fromUnix(n.offer_date),
    inHoldUntil: fromUnix(n.in_hold_until),
    skinsSentAt: fromUnix(n.skins_send_date),
    tradeOfferId: n.trade_offer_id,
    failReason: n.status === "fail" ? n.reason : undefined,
    userRisk: n.user_risk,
  };
}
