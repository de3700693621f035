import { asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { depositEvents, deposits, webhookDeliveries } from "@/lib/db/schema";

/** Direct reads of what the receiver stored, for assertions. */
export async function storedDeposit(db: Db, transactionId: string) {
  const [row] = await db.select().from(deposits).where(eq(deposits.transactionId, transactionId));
  return row;
}

export async function storedEvents(db: Db, transactionId: string) {
  return db
    .select()
    .from(depositEvents)
    .where(eq(depositEvents.transactionId, transactionId))
    .orderBy(asc(depositEvents.id));
}

export async function storedDeliveries(db: Db, transactionId?: string) {
  const query = db.select().from(webhookDeliveries).orderBy(asc(webhookDeliveries.id));
  return transactionId ? query.where(eq(webhookDeliveries.transactionId, transactionId)) : query;
}

export async function countDeposits(db: Db): Promise<number> {
  return (await db.$count(deposits)) as number;
}
