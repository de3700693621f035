import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { type AuditActor, recordAudit } from "@/lib/audit/audit-log";
import type { Db } from "@/lib/db/client";
import { depositNotes, deposits } from "@/lib/db/schema";
import { AppError } from "@/lib/errors/app-error";

/** An operator's note on a deposit: on its timeline and in the audit log, never edited. */
export const depositNoteSchema = z.strictObject({
  body: z.string().trim().min(1, "write something").max(2_000, "at most 2,000 characters"),
});

export type DepositNote = { id: number; body: string; by: string; at: Date };

export async function addDepositNote(
  db: Db,
  transactionId: string,
  body: string,
  by: { actor: AuditActor; label: string; address: string | null },
): Promise<DepositNote> {
  return db.transaction(async (tx) => {
    const [known] = await tx
      .select({ id: deposits.transactionId })
      .from(deposits)
      .where(eq(deposits.transactionId, transactionId));
    if (!known) throw new AppError("not_found", "no such deposit");
    const [note] = await tx
      .insert(depositNotes)
      .values({ transactionId, body, authorEmail: by.label })
      .returning();
    if (!note) throw new Error("the note was not stored");
    await recordAudit(tx, {
      actor: by.actor,
      action: "deposit.note",
      outcome: "ok",
      target: { type: "deposit", id: transactionId },
      transactionId,
      address: by.address,
      detail: { note: note.id, body },
    });
    return { id: note.id, body: note.body, by: note.authorEmail, at: note.createdAt };
  });
}

export async function notesOf(db: Db, transactionId: string): Promise<DepositNote[]> {
  const rows = await db
    .select()
    .from(depositNotes)
    .where(eq(depositNotes.transactionId, transactionId))
    .orderBy(asc(depositNotes.id))
    .limit(500);
  return rows.map((n) => ({ id: n.id, body: n.body, by: n.authorEmail, at: n.createdAt }));
}
