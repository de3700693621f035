import type { Handler } from "./method-helpers";
import { handleBalance } from "./methods/balance";
import { handleCallbackErrorList } from "./methods/callback-error-list";
import { handleCreate } from "./methods/create";
import { handleCreateFromUserInventory } from "./methods/create-from-user-inventory";
import { handleCurrencies } from "./methods/currencies";
import { handleMarketBatchBuy } from "./methods/market-batch-buy";
import { handleMarketBuy } from "./methods/market-buy";
import { handleMarketGetinfo } from "./methods/market-getinfo";
import { handleMarketHistory } from "./methods/market-history";
import { handleMarketPricelist } from "./methods/market-pricelist";
import { handleMarketSearch } from "./methods/market-search";
import { handleOfferApprove } from "./methods/offer-approve";
import { handleOrders } from "./methods/orders";
import { handleOrderstatus } from "./methods/orderstatus";
import { handleStatus } from "./methods/status";
import { handleUserInventory } from "./methods/user-inventory";

export { type Params, SandboxMethodError } from "./method-helpers";

/**
 * The sandbox's methods, one handler per SkinsBack method (a file each in ./methods/), each answering what the
 * protocol documents. The wire protocol around them (signature, standard errors, the rate limit) is ./api.ts.
 */
export const HANDLERS: Record<string, Handler> = {
  create: handleCreate,
  orderstatus: handleOrderstatus,
  orders: handleOrders,
  offer_approve: handleOfferApprove,
  callback_error_list: handleCallbackErrorList,
  user_inventory: handleUserInventory,
  create_from_user_inventory: handleCreateFromUserInventory,
  market_pricelist: handleMarketPricelist,
  market_search: handleMarketSearch,
  market_buy: handleMarketBuy,
  market_batch_buy: handleMarketBatchBuy,
  market_getinfo: handleMarketGetinfo,
  market_history: handleMarketHistory,
  balance: handleBalance,
  currencies: handleCurrencies,
  status: handleStatus,
};
