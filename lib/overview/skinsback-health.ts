import "server-only";
import type { AppConfig } from "@/lib/config";
import type { Db } from "@/lib/db/client";
import { describeError } from "@/lib/errors/describe-error";
import { configuredSkinsbackClient } from "@/lib/gateway/skinsback-gateway";
import { SkinsBackApiError, SkinsBackNetworkError } from "@/lib/skinsback/errors";

/** SkinsBack as the overview shows it: is it up, and the project's balance. */
export type SkinsbackHealth = {
  state: "up" | "maintenance" | "unavailable" | "unreachable" | "error";
  /** In words, for the operator: SkinsBack's reason, or what went wrong. */
  message: string | null;
  balance: {
    /** The raw `balance`; its base currency is not documented (docs/skinsback-protocol.md#balance-currency). */
    base: string;
    inCurrencies: Record<string, string>;
  } | null;
  checkedAt: string;
};

const UNAVAILABLE_REASONS: Record<string, string> = {
  site_off: "SkinsBack is switched off for maintenance (site_off): players cannot deposit now",
  no_bots: "SkinsBack has no trade bots available (no_bots): deposits cannot complete now",
};

type Cached = { at: number; value: SkinsbackHealth };
const globalScope = globalThis as {
  __skinsbackHealth?: { cached?: Cached; pending?: Promise<SkinsbackHealth> };
};
globalScope.__skinsbackHealth ??= {};
const cache = globalScope.__skinsbackHealth;

/**
 * `status` and `balance` through the signed client (both spend the shared rate budget), reused for
 * `skinsbackStatusCacheMs` per process; concurrent callers share one round trip.
 */
export async function readSkinsbackHealth(
  db: Db,
  config: AppConfig,
  now = Date.now(),
): Promise<SkinsbackHealth> {
  if (cache.cached && now - cache.cached.at < config.skinsbackStatusCacheMs) return cache.cached.value;
  cache.pending ??= fetchHealth(db, config)
    .then((value) => {
      cache.cached = { at: Date.now(), value };
      return value;
    })
    .finally(() => {
      cache.pending = undefined;
    });
  return cache.pending;
}

async function fetchHealth(db: Db, config: AppConfig): Promise<SkinsbackHealth> {
  const client = configuredSkinsbackClient(db, config, "job:overview");
  const checkedAt = new Date().toISOString();
  try {
    const status = await client.status({});
    const balance = await client.balance({}).catch(() => null);
    const reason = status.reason ?? null;
    return {
      // `status` answers site_off during maintenance (docs/skinsback-protocol.md#maintenance), while the other methods answer -9.
      state: status.available ? "up" : reason === "site_off" ? "maintenance" : "unavailable",
      message: status.available
        ? null
        : (UNAVAILABLE_REASONS[reason ?? ""] ??
          `SkinsBack is not available (${reason ?? "no reason given"})`),
      balance: balance
        ? {
            base: String(balance.balance),
            inCurrencies: Object.fromEntries(
              Object.entries(balance.balance_in_currencies ?? {}).map(([k, v]) => [k, String(v)]),
            ),
          }
        : null,
      checkedAt,
    };
  } catch (error) {
    if (error instanceof SkinsBackApiError && error.skinsbackCode === -9) {
      return {
        state: "maintenance",
        message: "SkinsBack is under maintenance (-9)",
        balance: null,
        checkedAt,
      };
    }
    if (error instanceof SkinsBackNetworkError) {
      return { state: "unreachable", message: error.message, balance: null, checkedAt };
    }
    return { state: "error", message: describeError(error), balance: null, checkedAt };
  }
}
