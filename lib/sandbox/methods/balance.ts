import { balanceUsd, type Handler } from "../method-helpers";
import { inAllCurrencies } from "../world";

/** SkinsBack's `balance`, as the sandbox answers it. */
export const handleBalance: Handler = async (ctx) => {
  const { balance, deals, withdrawn } = await balanceUsd(ctx);
  return {
    balance,
    balance_in_currencies: inAllCurrencies(balance),
    deals_sum: deals,
    deals_sum_in_currencies: inAllCurrencies(deals),
    withdraw_sum: withdrawn,
    withdraw_sum_in_currencies: inAllCurrencies(withdrawn),
  };
};
