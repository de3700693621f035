import { and } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { deposits } from "@/lib/db/schema";
import { csvCell } from "@/lib/text/csv-cell";
import {
  type DepositFilters,
  depositConditions,
  depositOrder,
  depositSortKey,
  depositsAfter,
} from "./queries";

/**
 * CSV export of the deposit list's current filters, streamed in keyset batches (memory stays flat whatever the
 * size), newest first, at most EXPORT_ROW_CAP rows. See `csvCell` for how a cell is kept from running as a formula.
 */
export const EXPORT_ROW_CAP = 100_000;
const BATCH = 1_000;

export const EXPORT_COLUMNS = [
  ["created_at", "createdAt"],
  ["transaction_id", "transactionId"],
  ["order_id", "orderId"],
  ["steam_id", "steamId"],
  ["status", "status"],
  ["amount", "amount"],
  ["amount_currency", "amountCurrency"],
  ["user_amount", "userAmount"],
  ["fail_reason", "failReason"],
  ["in_hold_until", "inHoldUntil"],
  ["flagged", "anomaly"],
] as const;

export function exportDepositsCsv(
  db: Db,
  filters: DepositFilters,
  onDone: (rows: number, capped: boolean) => Promise<void>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { key: string; transactionId: string } | undefined;
  let sent = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(`${EXPORT_COLUMNS.map(([name]) => name).join(",")}\r\n`));
          return;
        }
        const where = depositConditions(filters);
        if (after) where.push(depositsAfter(filters.sort, after));
        const rows = await db
          .select({ row: deposits, sortKey: depositSortKey(filters.sort) })
          .from(deposits)
          .where(where.length ? and(...where) : undefined)
          .orderBy(...depositOrder(filters.sort))
          .limit(Math.min(BATCH, EXPORT_ROW_CAP - sent));
        const last = rows.at(-1);
        if (rows.length > 0 && last) {
          sent += rows.length;
          after = { key: last.sortKey, transactionId: last.row.transactionId };
          const lines = rows
            .map(({ row }) => EXPORT_COLUMNS.map(([, key]) => csvCell(row[key])).join(","))
            .join("\r\n");
          controller.enqueue(encoder.encode(`${lines}\r\n`));
        }
        if (rows.length < BATCH || sent >= EXPORT_ROW_CAP) {
          await onDone(sent, sent >= EXPORT_ROW_CAP);
          controller.close();
        }
      } catch (error) {
        controller.error(error);
      }
    },
  });
}
