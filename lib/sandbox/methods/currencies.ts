import type { Handler } from "../method-helpers";
import { CURRENCY_RATES } from "../world";

/** SkinsBack's `currencies`, as the sandbox answers it. */
export const handleCurrencies: Handler = async () => {
  return {
    items: Object.entries(CURRENCY_RATES).map(([code, c]) => ({ code, name: c.name, rate: c.rate })),
  };
};
