import { and } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { deposits } from "@/lib/db/schema";
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

/** A cell a spreadsheet may read as a formula: its first non-blank character starts one (full-width forms too). */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;
/** A plain number cannot be a formula, and an apostrophe would make it text: amounts stay numbers. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One CSV cell. Anything that could start a formula (`=`, `+`, `-`, `@` or their full-width forms as the first
 * non-blank character, or a leading tab, CR or LF) gets a leading apostrophe, and every non-empty cell is quoted:
 * a reader that splits on `;` (Excel in many European locales) then cannot find `=1+2` inside `x;=1+2;y` either.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (text === "") return "";
  if (!PLAIN_NUMBER.test(text) && FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

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
