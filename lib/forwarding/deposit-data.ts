import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rowsOf } from "@/lib/db/rows";
import { AppError } from "@/lib/errors/app-error";

/**
 * A deposit as a merchant's backend reads it (`GET /api/v1/deposits/<id>`): the same fields as a forwarded
 * message's `data`, from the same database function (`deposit_public_data`, drizzle/0015), plus its latest
 * change's `sequence`, so a reader can tell whether it has seen every change.
 */
export async function readDepositData(db: Db, transactionId: string): Promise<Record<string, unknown>> {
  const [row] = rowsOf<{ data: Record<string, unknown> | null; sequence: number | null }>(
    await db.execute(sql`select deposit_public_data(${transactionId}) as data,
      (select max(sequence) from deposit_changes where transaction_id = ${transactionId}) as sequence`),
  );
  if (!row?.data) throw new AppError("not_found", "no such deposit");
  return { ...row.data, sequence: row.sequence ?? 0 };
}
