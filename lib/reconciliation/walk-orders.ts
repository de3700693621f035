import type { SkinsbackClient } from "@/lib/skinsback/client";

/**
 * SkinsBack's `orders` over a window, every deposit once or more (callers dedupe on transaction_id). `orders`
 * answers at most 1,000 items and a `total_count` capped at 1,000, so a full page that says there is more is a
 * window too wide to trust one cursor with: it is split in two halves, which share their middle second (SkinsBack
 * bounds are whole seconds and inclusive; a deposit at 12:00:00.5 would fall between [.., 12:00:00] and
 * [12:00:01, ..]). A window one second wide is read page by page with `start_from`.
 */

export const ORDERS_PAGE_CAP = 1000;

export type WalkCounters = { calls: number; pages: number; splits: number };

export type OrdersWindow = { start: number; end: number };

export async function* walkOrders(
  client: SkinsbackClient,
  window: OrdersWindow,
  counters: WalkCounters,
): AsyncGenerator<Record<string, unknown>[]> {
  const base = { starting: String(window.start), ending: String(window.end) };
  const first = await client.call("orders", base);
  counters.calls++;
  const full = Number(first.total_count) >= ORDERS_PAGE_CAP && first.has_more;
  if (full && window.end - window.start > 1) {
    counters.splits++;
    const middle = Math.floor((window.start + window.end) / 2);
    yield* walkOrders(client, { start: window.start, end: middle }, counters);
    yield* walkOrders(client, { start: middle, end: window.end }, counters);
    return;
  }
  counters.pages++;
  yield first.items as Record<string, unknown>[];
  let page = first;
  for (let guard = 0; page.has_more && guard < 10_000; guard++) {
    const cursor = page.start_from;
    if (!cursor) throw new Error("orders said it has more but gave no start_from");
    const next = await client.call("orders", { ...base, start_from: String(cursor) });
    counters.calls++;
    counters.pages++;
    if (String(next.start_from ?? "") === String(cursor) && next.has_more) {
      throw new Error(`orders answered the same start_from (${cursor}) twice`);
    }
    yield next.items as Record<string, unknown>[];
    page = next;
  }
}
