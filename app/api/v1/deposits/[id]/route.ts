// One deposit as a merchant's backend reads it: the same fields as a forwarded message's data.

import { AppError } from "@/lib/errors/app-error";
import { readDepositData } from "@/lib/forwarding/deposit-data";
import { withRoute } from "@/lib/route/with-route";
import { isTransactionId } from "@/lib/skinsback/transaction-id";

export const dynamic = "force-dynamic";

export const GET = withRoute<never, never, { id: string }>({}, async ({ db, params }) => {
  if (!isTransactionId(params.id)) {
    throw new AppError("bad_request", "id must be a transaction id", {
      details: { issues: ["id: must be 1-64 letters, digits, - or _"] },
    });
  }
  return Response.json(
    { data: await readDepositData(db, params.id) },
    { headers: { "cache-control": "no-store" } },
  );
});
