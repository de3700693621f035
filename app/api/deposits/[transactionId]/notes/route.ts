// A note on a deposit (operator): on its timeline, audited.
import { addDepositNote, depositNoteSchema } from "@/lib/deposits/notes";
import { AppError } from "@/lib/errors/app-error";
import { withRoute } from "@/lib/route/with-route";
import { isTransactionId } from "@/lib/skinsback/transaction-id";

export const dynamic = "force-dynamic";

export const POST = withRoute<typeof depositNoteSchema, never, { transactionId: string }>(
  { body: depositNoteSchema },
  async ({ db, body, params, by }) => {
    const transactionId = decodeURIComponent(params.transactionId);
    if (!isTransactionId(transactionId)) throw new AppError("bad_request", "not a transaction id");
    const note = await addDepositNote(db, transactionId, body.body, by);
    return Response.json(note, { status: 201 });
  },
);
